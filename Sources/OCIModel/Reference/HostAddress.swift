import FoundationEssentials
import Glibc

/// Classifies registry hosts. A private host is tried over https first and
/// over plain http only when the server does not speak TLS (as
/// go-containerregistry's `name.Registry.Scheme` does for such hosts); a
/// loopback one over plain http first (the registry client says why).
public enum HostAddress {
    /// `host` may carry a port (`127.0.0.1:5000`, `[::1]:5000`) or not.
    public static func isLoopbackOrPrivate(_ hostAndPort: String) -> Bool {
        let host = stripPort(hostAndPort).lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        if let v4 = ipv4(host) {
            return v4[0] == 127 || v4[0] == 10 || (v4[0] == 172 && (16...31).contains(v4[1]))
                || (v4[0] == 192 && v4[1] == 168)
        }
        if let v6 = ipv6(host) {
            // ::1, unique local fc00::/7, or an IPv4-mapped private address.
            if v6 == [UInt8](repeating: 0, count: 15) + [1] { return true }
            if v6[0] & 0xfe == 0xfc { return true }
            if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xff && v6[11] == 0xff {
                return isLoopbackOrPrivate(v6[12...].map(String.init).joined(separator: "."))
            }
        }
        return false
    }

    /// `localhost`, a name below it, or a loopback address; `host` may carry a port.
    public static func isLoopbackHost(_ hostAndPort: String) -> Bool {
        let host = stripPort(hostAndPort).lowercased()
        return host == "localhost" || host.hasSuffix(".localhost") || isLoopback(host)
    }

    public static func isLoopback(_ host: String) -> Bool {
        let host = stripPort(host)
        if let v4 = ipv4(host) { return v4[0] == 127 }
        if let v6 = ipv6(host) { return v6 == [UInt8](repeating: 0, count: 15) + [1] }
        return false
    }

    /// `host:port` → `host`; `[v6]:port` or `[v6]` → `v6`; a bare IPv6 stays whole.
    public static func stripPort(_ hostAndPort: String) -> String {
        if hostAndPort.hasPrefix("["), let close = hostAndPort.firstIndex(of: "]") {
            return String(hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close])
        }
        let colons = hostAndPort.filter { $0 == ":" }.count
        if colons == 1, let colon = hostAndPort.firstIndex(of: ":") {
            return String(hostAndPort[..<colon])
        }
        return hostAndPort
    }

    public static func ipv4(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    public static func ipv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
