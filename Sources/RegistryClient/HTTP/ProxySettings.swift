import FoundationEssentials
import OCIModel

/// Proxy selection as Go's `net/http` does it (`httpproxy.FromEnvironment`):
/// uppercase variables win over lowercase ones, `https` URLs use only the
/// HTTPS proxy, and loopback hosts are never proxied. libcurl alone would
/// ignore uppercase `HTTP_PROXY`, so the transport sets the proxy explicitly.
package struct ProxySettings: Sendable, Equatable {
    var httpProxy: String?
    var httpsProxy: String?
    var noProxy: String?

    package init(httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ProxySettings {
        func first(_ names: String...) -> String? {
            for name in names {
                if let value = environment[name], !value.isEmpty { return value }
            }
            return nil
        }
        return ProxySettings(
            httpProxy: first("HTTP_PROXY", "http_proxy"),
            httpsProxy: first("HTTPS_PROXY", "https_proxy"),
            noProxy: first("NO_PROXY", "no_proxy"))
    }

    /// The proxy for `url`, or `nil` for a direct connection. `no_proxy` is
    /// left to libcurl (`CURLOPT_NOPROXY`), which matches suffixes and CIDRs.
    func proxy(for url: URL) -> String? {
        guard let host = url.host?.lowercased() else { return nil }
        if host == "localhost" || HostAddress.isLoopback(host) { return nil }
        return url.scheme?.lowercased() == "https" ? httpsProxy : httpProxy
    }
}
