using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// The directory's sessions and index on disk (docs/architecture.md, Directory: Persistence): one SQLite file at
/// <see cref="DirectoryOptions.DatabasePath"/> (Microsoft.Data.Sqlite), tables <c>sessions</c> (peer id, address,
/// session) and <c>entries</c> (peer id, name, size, sha256, chunk size), every change written through in one
/// transaction, so a restarted directory loads exactly what it answered before. Without a path every method but
/// <see cref="Load"/> (which returns nothing) is a no-op. Not thread-safe: <see cref="DirectoryIndex"/> calls it under
/// its lock.
/// </summary>
public sealed class DirectoryStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS sessions (
            peer_id TEXT NOT NULL PRIMARY KEY,
            address TEXT NOT NULL,
            session TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS entries (
            peer_id TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            chunk_size INTEGER NOT NULL,
            PRIMARY KEY (peer_id, name)) WITHOUT ROWID;
        """;

    private readonly SqliteConnection? _connection;

    /// <summary>Opens (creating if needed) the database at <see cref="DirectoryOptions.DatabasePath"/>, if one is set.</summary>
    /// <exception cref="SqliteException">The file cannot be opened or is not a directory database.</exception>
    public DirectoryStore(IOptions<DirectoryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Value.DatabasePath))
        {
            return;
        }
        var path = Path.GetFullPath(options.Value.DatabasePath);
        if (Path.GetDirectoryName(path) is { } folder)
        {
            System.IO.Directory.CreateDirectory(folder);
        }
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    /// <summary>Whether changes reach a file (a <see cref="DirectoryOptions.DatabasePath"/> is set).</summary>
    public bool IsPersistent => _connection is not null;

    /// <summary>Every stored session with its peer and entries; empty without a database.</summary>
    public IReadOnlyList<StoredPeer> Load()
    {
        if (_connection is null)
        {
            return [];
        }
        var peers = new Dictionary<string, StoredPeer>(StringComparer.Ordinal);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT peer_id, address, session FROM sessions";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var peer = new PeerInfo { Id = reader.GetString(0), Address = reader.GetString(1) };
                peers[peer.Id] = new StoredPeer(peer, reader.GetString(2), []);
            }
        }
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT peer_id, name, size, sha256, chunk_size FROM entries";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (peers.TryGetValue(reader.GetString(0), out var stored))
                {
                    stored.Files.Add(new SharedFile
                    {
                        Name = reader.GetString(1),
                        Size = (ulong)reader.GetInt64(2),
                        Sha256 = reader.GetString(3),
                        ChunkSize = (uint)reader.GetInt64(4),
                    });
                }
            }
        }
        return [.. peers.Values];
    }

    /// <summary>Records a login: <paramref name="peer"/>'s session becomes <paramref name="session"/> and its entries are dropped.</summary>
    public void SaveLogin(PeerInfo peer, string session)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(session);
        Write(transaction =>
        {
            Execute(transaction, "DELETE FROM entries WHERE peer_id = $peer", ("$peer", peer.Id));
            Execute(transaction, "DELETE FROM sessions WHERE peer_id = $peer", ("$peer", peer.Id));
            Execute(transaction, "INSERT INTO sessions (peer_id, address, session) VALUES ($peer, $address, $session)",
                ("$peer", peer.Id), ("$address", peer.Address), ("$session", session));
        });
    }

    /// <summary>Removes <paramref name="peerId"/>'s session and every entry of it.</summary>
    public void Remove(string peerId)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        Write(transaction =>
        {
            Execute(transaction, "DELETE FROM entries WHERE peer_id = $peer", ("$peer", peerId));
            Execute(transaction, "DELETE FROM sessions WHERE peer_id = $peer", ("$peer", peerId));
        });
    }

    /// <summary>
    /// Applies one index update of <paramref name="peerId"/>: with <paramref name="replace"/> its entries become exactly
    /// <paramref name="upserted"/>; otherwise <paramref name="upserted"/> are inserted or replaced (by name) and
    /// <paramref name="removed"/> names deleted. All or nothing.
    /// </summary>
    public void Apply(string peerId, bool replace, IReadOnlyCollection<SharedFile> upserted, IReadOnlyCollection<string> removed)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        ArgumentNullException.ThrowIfNull(upserted);
        ArgumentNullException.ThrowIfNull(removed);
        Write(transaction =>
        {
            if (replace)
            {
                Execute(transaction, "DELETE FROM entries WHERE peer_id = $peer", ("$peer", peerId));
            }
            if (removed.Count > 0)
            {
                using var delete = Command(transaction, "DELETE FROM entries WHERE peer_id = $peer AND name = $name", "$peer", "$name");
                delete.Parameters["$peer"].Value = peerId;
                foreach (var name in removed)
                {
                    delete.Parameters["$name"].Value = name;
                    delete.ExecuteNonQuery();
                }
            }
            if (upserted.Count > 0)
            {
                using var upsert = Command(transaction,
                    "INSERT OR REPLACE INTO entries (peer_id, name, size, sha256, chunk_size) VALUES ($peer, $name, $size, $sha256, $chunk)",
                    "$peer", "$name", "$size", "$sha256", "$chunk");
                upsert.Parameters["$peer"].Value = peerId;
                foreach (var file in upserted)
                {
                    upsert.Parameters["$name"].Value = file.Name;
                    upsert.Parameters["$size"].Value = (long)file.Size;
                    upsert.Parameters["$sha256"].Value = file.Sha256;
                    upsert.Parameters["$chunk"].Value = (long)file.ChunkSize;
                    upsert.ExecuteNonQuery();
                }
            }
        });
    }

    /// <inheritdoc />
    public void Dispose() => _connection?.Dispose();

    private void Write(Action<SqliteTransaction> change)
    {
        if (_connection is null)
        {
            return;
        }
        using var transaction = _connection.BeginTransaction();
        change(transaction);
        transaction.Commit();
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    private static void Execute(SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }
}
