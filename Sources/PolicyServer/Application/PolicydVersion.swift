/// The version `/ping` and `/health` report.
public enum PolicydVersion {
    public static let current = "0.1.0"
}
