import AsyncHTTPClient
import ServiceLifecycle

/// Shuts the key-fetching HTTP client down when the server stops, as AsyncHTTPClient requires.
struct HTTPClientShutdownService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
