import Hummingbird
import PolicyCore

/// `GET /v1/ping`: answers as soon as the server accepts connections, whatever the state of the keys.
enum PingEndpoint {
    static func respond() -> Response {
        .json(.object([JSONMember("status", .string("UP")), JSONMember("version", .string(PolicydVersion.current))]))
    }
}
