import Foundation

/// `Tests/StandIns/registry/fault_proxy.py` on a kernel-chosen 127.0.0.1 port:
/// either a fault-injecting reverse proxy in front of a `TestRegistry`, or a
/// plain forward HTTP proxy (for `HTTP_PROXY` tests). Stops with `stop()` or
/// when released.
public final class FaultProxy: Sendable {
    private struct LaunchInfo: Decodable {
        let port: Int
        let url: String
        let baseURL: String
    }

    /// "127.0.0.1:PORT" — use it as the registry host in a repository.
    public let url: String
    public let port: Int
    /// "http(s)://127.0.0.1:PORT" — for forward-proxy mode, the `HTTP_PROXY` value.
    public let baseURL: URL
    /// CA to trust when the proxy serves TLS (the upstream registry's CA).
    public let caCertificatePath: URL?

    private let helper: HelperProcess
    private static let script = "registry/fault_proxy.py"

    /// A reverse proxy in front of `registry`. With `tls`, it serves HTTPS with the
    /// registry's own certificate (so the registry's CA works for both); the
    /// registry must then be a TLS variant.
    public init(upstream registry: TestRegistry, faults: FaultProxyConfig = FaultProxyConfig(), tls: Bool = false) throws {
        var arguments = ["--upstream", registry.baseURL.absoluteString, "--config", try Self.json(faults)]
        if let ca = registry.caCertificatePath { arguments += ["--upstream-cacert", ca.path] }
        if tls {
            arguments += [
                "--tls-cert", registry.workDirectory.appendingPathComponent("server.crt").path,
                "--tls-key", registry.workDirectory.appendingPathComponent("server.key").path,
            ]
        }
        helper = try HelperProcess(script: Self.script, arguments: arguments)
        let info = try helper.decodeLaunchInfo(LaunchInfo.self)
        url = info.url
        port = info.port
        baseURL = try Self.baseURL(info, helper)
        caCertificatePath = tls ? registry.caCertificatePath : nil
    }

    /// A plain forward HTTP proxy (absolute-URI requests and CONNECT tunnels)
    /// that records what it forwarded in `FaultProxyStats.forwarded`.
    /// `resolving` maps test host names (which have no DNS) to addresses the
    /// proxy connects to instead, e.g. `["registry.test": "127.0.0.1"]`.
    public init(forwardProxy: Void = (), resolving: [String: String] = [:]) throws {
        let rules = resolving.sorted { $0.key < $1.key }.flatMap { ["--resolve", "\($0.key)=\($0.value)"] }
        helper = try HelperProcess(script: Self.script, arguments: ["--forward"] + rules)
        let info = try helper.decodeLaunchInfo(LaunchInfo.self)
        url = info.url
        port = info.port
        baseURL = try Self.baseURL(info, helper)
        caCertificatePath = nil
    }

    /// A forward proxy (convenience spelling).
    public static func forward() throws -> FaultProxy { try FaultProxy(forwardProxy: ()) }

    private static func baseURL(_ info: LaunchInfo, _ helper: HelperProcess) throws -> URL {
        guard let url = URL(string: info.baseURL) else {
            helper.stop()
            throw HelperProcessError.badLaunchInfo(script: script, line: info.baseURL)
        }
        return url
    }

    private static func json(_ faults: FaultProxyConfig) throws -> String {
        String(decoding: try JSONEncoder().encode(faults), as: UTF8.self)
    }

    @discardableResult
    private func control(_ arguments: [String], path: String) throws -> Data {
        let tls = caCertificatePath.map { ["--cacert", $0.path] } ?? []
        return try ExternalCommand.check("curl", ["-sS", "--fail"] + tls + arguments + [baseURL.absoluteString + path])
    }

    /// Replaces the fault config (counters are kept).
    public func configure(_ faults: FaultProxyConfig) throws {
        try control(["-X", "POST", "--data-binary", try Self.json(faults)], path: "/__config")
    }

    /// Zeroes the counters.
    public func resetStats() throws {
        try control(["-X", "POST"], path: "/__reset")
    }

    public func stats() throws -> FaultProxyStats {
        try JSONDecoder().decode(FaultProxyStats.self, from: try control([], path: "/__stats"))
    }

    public func stop() { helper.stop() }
}
