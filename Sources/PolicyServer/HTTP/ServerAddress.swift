/// The base URL a local client uses to reach the server (`http://host:port`), for printed examples.
public enum ServerAddress {
    public static func baseURL(host: String, port: Int) -> String {
        let reachable: String
        switch host {
        case "", "0.0.0.0": reachable = "127.0.0.1"
        case "::": reachable = "[::1]"
        default: reachable = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
        return "http://\(reachable):\(port)"
    }
}
