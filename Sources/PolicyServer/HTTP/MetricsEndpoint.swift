import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: every metric in Prometheus's text format, at the root as scrapers expect.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry

    func respond() -> Response {
        var text: [UInt8] = []
        text.reserveCapacity(8192)
        registry.emit(into: &text)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }
}
