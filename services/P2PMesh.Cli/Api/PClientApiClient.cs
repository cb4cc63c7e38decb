using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using P2PMesh.Cli.Api.Models;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Api;

/// <summary>
/// The PClient-API's REST contract (services/P2PMesh.PClientApi, Apis/*.cs), over HTTP only. Connection
/// failures and timeouts surface as <see cref="ApiUnreachableException"/>, error statuses as
/// <see cref="ApiProblemException"/> carrying the RFC 9457 problem the API wrote.
/// </summary>
internal sealed class PClientApiClient : IDisposable
{
    /// <summary>How long a JSON request may take before the API counts as unreachable. Transfers have no such limit.</summary>
    /// <summary>The environment variable holding the API's bearer token (<c>Api:Token</c>), sent on every request when set.</summary>
    public const string TokenVariable = "P2PMESH_API_TOKEN";

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http;
    private readonly TimeSpan _requestTimeout;

    public PClientApiClient(Uri baseAddress, TimeSpan? requestTimeout = null, HttpMessageHandler? handler = null, string? token = null)
    {
        BaseAddress = baseAddress;
        _requestTimeout = requestTimeout ?? DefaultRequestTimeout;
        handler ??= new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), AutomaticDecompression = DecompressionMethods.All };
        // Per-request timeouts instead (see SendAsync): a large upload or download may take any time.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrWhiteSpace(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("p2pmesh", typeof(PClientApiClient).Assembly.GetName().Version?.ToString(3)));
    }

    /// <summary>The API's base address (ends with '/').</summary>
    public Uri BaseAddress { get; }

    /// <summary><c>GET /api/search?q=&amp;via=&amp;ttl=&amp;explain=</c>; <paramref name="via"/> one of <see cref="SearchModes.All"/>.</summary>
    public Task<ApiResult<SearchResponse>> SearchAsync(string pattern, int? ttl, bool explain, string via, CancellationToken cancellationToken)
    {
        var query = $"api/search?q={Uri.EscapeDataString(pattern)}&via={Uri.EscapeDataString(via)}";
        if (ttl is { } t)
        {
            query += $"&ttl={t.ToString(CultureInfo.InvariantCulture)}";
        }
        if (explain)
        {
            query += "&explain=true";
        }
        return GetJsonAsync(query, CliJsonContext.Default.SearchResponse, cancellationToken);
    }

    /// <summary><c>GET /api/files</c>: the share of the API's own peer.</summary>
    public Task<ApiResult<IReadOnlyList<SharedFileDto>>> ListFilesAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("api/files", CliJsonContext.Default.IReadOnlyListSharedFileDto, cancellationToken);

    /// <summary><c>GET /api/peers</c>.</summary>
    public Task<ApiResult<PeersResponse>> GetPeersAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("api/peers", CliJsonContext.Default.PeersResponse, cancellationToken);

    /// <summary><c>GET /readyz</c>: whether the API's PServer answers; when not, the problem's detail.</summary>
    public async Task<(bool Ready, string? Detail)> GetReadinessAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "readyz"), HttpCompletionOption.ResponseContentRead, useTimeout: true, cancellationToken).ConfigureAwait(false);
            return (true, null);
        }
        catch (ApiProblemException e) when (e.Status == (int)HttpStatusCode.ServiceUnavailable)
        {
            return (false, e.Problem.Detail ?? e.Problem.Title);
        }
    }

    /// <summary>
    /// <c>POST /api/uploads?name=&amp;sha256=&amp;to=</c> with <paramref name="content"/> as the
    /// application/octet-stream body of <paramref name="length"/> bytes (Content-Length set, streamed, with
    /// <c>Expect: 100-continue</c>).
    /// </summary>
    public async Task<ApiResult<UploadResponse>> UploadAsync(Stream content, long length, string name, string sha256, string? to, CancellationToken cancellationToken)
    {
        var query = $"api/uploads?name={Uri.EscapeDataString(name)}&sha256={sha256}";
        if (!string.IsNullOrEmpty(to))
        {
            query += $"&to={Uri.EscapeDataString(to)}";
        }
        var body = new StreamContent(content, 81920);
        body.Headers.ContentLength = length;
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = body };
        // The API refuses a body over its limit (413), a bad name or hash (400), an unknown peer (404) before it reads
        // the body; with 100-continue the body is then never sent, and the refusal is what this CLI reports.
        request.Headers.ExpectContinue = true;
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, useTimeout: false, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, CliJsonContext.Default.UploadResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /api/downloads</c> → 202 and the new job.</summary>
    public async Task<DownloadStatus> StartDownloadAsync(StartDownloadRequest download, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/downloads")
        {
            Content = JsonContent.Create(download, CliJsonContext.Default.StartDownloadRequest),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, useTimeout: true, cancellationToken).ConfigureAwait(false);
        return (await ReadJsonAsync(response, CliJsonContext.Default.DownloadStatus, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary><c>GET /api/downloads/{id}</c>.</summary>
    public async Task<DownloadStatus> GetDownloadAsync(Guid id, CancellationToken cancellationToken) =>
        (await GetJsonAsync($"api/downloads/{id}", CliJsonContext.Default.DownloadStatus, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary><c>DELETE /api/downloads/{id}</c>.</summary>
    public async Task CancelDownloadAsync(Guid id, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"api/downloads/{id}");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, useTimeout: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/files/{sha256}/content</c>, response headers read: the caller streams the body and
    /// disposes the response.
    /// </summary>
    public Task<HttpResponseMessage> GetContentAsync(string sha256, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/files/{sha256}/content"), HttpCompletionOption.ResponseHeadersRead, useTimeout: false, cancellationToken);

    /// <summary>
    /// <c>GET /api/watch?q=</c> (server-sent events): each <c>data:</c> line's file and its JSON, as they arrive, until
    /// the API ends the stream or <paramref name="cancellationToken"/> fires. <paramref name="subscribed"/> runs once the
    /// API has answered 200 (it watches from then on). No request timeout.
    /// </summary>
    public async IAsyncEnumerable<(WatchedFile File, string Json)> WatchAsync(
        string pattern, Action subscribed, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/watch?q={Uri.EscapeDataString(pattern)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, useTimeout: false, cancellationToken).ConfigureAwait(false);
        subscribed();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            // https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation: comments start with ':'.
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }
            var json = line["data:".Length..].TrimStart();
            if (JsonSerializer.Deserialize(json, CliJsonContext.Default.WatchedFile) is { } file)
            {
                yield return (file, json);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<ApiResult<T>> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, useTimeout: true, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiResult<T>> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException e)
        {
            throw new ApiProblemException((int)response.StatusCode, new ApiProblem(null, "Unexpected answer from the API",
                (int)response.StatusCode, $"{response.RequestMessage?.RequestUri} returned JSON this CLI does not understand: {e.Message}", null, null));
        }
        return value is null
            ? throw new ApiProblemException((int)response.StatusCode, new ApiProblem(null, "Empty answer from the API", (int)response.StatusCode, null, null, null))
            : new ApiResult<T>(value, json);
    }

    /// <summary>Sends, maps failures (see the class summary), and returns a successful response only.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, bool useTimeout, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (useTimeout)
            {
                timeout.CancelAfter(_requestTimeout);
            }
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ApiUnreachableException(BaseAddress, Describe(e), e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ApiUnreachableException(BaseAddress, $"no answer within {_requestTimeout.TotalSeconds:0} s", e);
            }
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                throw new ApiProblemException((int)response.StatusCode, await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackTitle = $"{status} {response.ReasonPhrase}".TrimEnd();
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            body = "";
        }
        if (response.Content.Headers.ContentType?.MediaType is { } media && media.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var problem = JsonSerializer.Deserialize(body, CliJsonContext.Default.ApiProblem);
                if (problem is not null)
                {
                    return problem with { Title = problem.Title ?? fallbackTitle, Status = problem.Status ?? status };
                }
            }
            catch (JsonException)
            {
            }
        }
        body = body.Trim();
        return new ApiProblem(null, fallbackTitle, status, body.Length == 0 ? null : body.Length > 500 ? body[..500] + "…" : body, null, null);
    }

    private static string Describe(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => e.InnerException?.Message is { } inner ? $"connection failed ({inner})" : "connection failed",
        HttpRequestError.NameResolutionError => "the host name does not resolve",
        _ => e.Message,
    };
}
