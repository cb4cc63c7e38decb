using System.Collections;
using System.Text;

namespace P2PMesh.Grpc;

/// <summary>
/// Custom metadata of a call: request headers, response headers or trailers (PROTOCOL-HTTP2.md,
/// Custom-Metadata). Keys are lowercase ASCII (<c>0-9 a-z _ - .</c>); keys ending in <c>-bin</c> carry
/// bytes (sent base64 without padding, accepted with or without), all others printable ASCII text.
/// A key may repeat; order is kept.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary-valued key.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public Entry this[int index] => _entries[index];

    /// <summary>Adds a text entry.</summary>
    /// <exception cref="ArgumentException">The key is invalid, is a <c>-bin</c> key, or the value is not printable ASCII.</exception>
    public Metadata Add(string key, string value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    /// <exception cref="ArgumentException">The key is invalid or does not end in <c>-bin</c>.</exception>
    public Metadata Add(string key, byte[] value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <summary>Adds an existing entry.</summary>
    public Metadata Add(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Add(entry);
        return this;
    }

    /// <summary>The last entry with <paramref name="key"/> (case-insensitive), or <c>null</c>.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }
        return null;
    }

    /// <summary>The text value of the last entry with <paramref name="key"/>, or <c>null</c>.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The bytes of the last entry with <paramref name="key"/>, or <c>null</c>.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <summary>All entries with <paramref name="key"/>, in order.</summary>
    public IEnumerable<Entry> GetAll(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata key and its value (text, or bytes for <c>-bin</c> keys).</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _bytes;

        /// <summary>Creates a text entry.</summary>
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            ArgumentNullException.ThrowIfNull(value);
            if (IsBinary)
            {
                throw new ArgumentException($"Key '{Key}' ends in '{BinarySuffix}' and takes a byte[] value.", nameof(key));
            }
            foreach (var c in value)
            {
                if (c is < ' ' or > '~')
                {
                    throw new ArgumentException($"Metadata value of '{Key}' must be printable ASCII (0x20-0x7E).", nameof(value));
                }
            }
            _value = value;
        }

        /// <summary>Creates a binary entry; <paramref name="key"/> must end in <c>-bin</c>.</summary>
        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            ArgumentNullException.ThrowIfNull(value);
            if (!IsBinary)
            {
                throw new ArgumentException($"Key '{Key}' takes a text value; binary keys end in '{BinarySuffix}'.", nameof(key));
            }
            _bytes = value;
        }

        /// <summary>The key, lowercase.</summary>
        public string Key { get; }

        /// <summary>Whether the key ends in <c>-bin</c> and the value is bytes.</summary>
        public bool IsBinary => Key.EndsWith(BinarySuffix, StringComparison.Ordinal);

        /// <summary>The text value.</summary>
        /// <exception cref="InvalidOperationException">The entry is binary.</exception>
        public string Value => _value ?? throw new InvalidOperationException($"'{Key}' is a binary entry; use ValueBytes.");

        /// <summary>The value as bytes (a text value as its ASCII bytes).</summary>
        public byte[] ValueBytes => _bytes ?? Encoding.ASCII.GetBytes(_value!);

        /// <inheritdoc />
        public override string ToString() => IsBinary ? $"{Key}: {Convert.ToBase64String(_bytes!)}" : $"{Key}: {_value}";

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
                {
                    throw new ArgumentException($"Metadata key '{key}' may only contain 0-9 a-z _ - . (PROTOCOL-HTTP2.md, Custom-Metadata).", nameof(key));
                }
            }
            return lower;
        }
    }
}
