import CCrypto
import Foundation
@testable import OCIModel
@testable import RegistryClient
import TestSupport
import Testing

@Suite struct RegistryNetworkPolicyTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3:5000", "localhost", "localhost:5000", "[::1]:443", "::1", "10.0.0.1",
                      "172.16.0.1", "172.31.255.255:80", "192.168.1.10", "[fd00::1]", "registry.localhost"])
    func privateHosts(_ host: String) {
        #expect(HostAddress.isLoopbackOrPrivate(host))
    }

    @Test(arguments: ["8.8.8.8", "172.32.0.1", "172.15.0.1", "192.169.0.1", "11.0.0.1", "registry-1.docker.io",
                      "ghcr.io:443", "[2001:db8::1]:5000", "localhost.example.com"])
    func publicHosts(_ host: String) {
        #expect(!HostAddress.isLoopbackOrPrivate(host))
    }

    /// Which hosts are asked over plain http first: this machine only.
    @Test func loopbackHostsAreThisMachineOnly() {
        for host in ["127.0.0.1:5000", "127.9.9.9", "localhost", "LOCALHOST:5000", "registry.localhost:80", "[::1]:5000", "::1"] {
            #expect(HostAddress.isLoopbackHost(host), "\(host)")
        }
        for host in ["10.0.0.1", "192.168.1.10:5000", "[fd00::1]", "localhost.example.com", "ghcr.io", "128.0.0.1"] {
            #expect(!HostAddress.isLoopbackHost(host), "\(host)")
        }
    }

    @Test func proxyFromEnvironmentLikeGo() throws {
        let settings = ProxySettings.fromEnvironment([
            "HTTP_PROXY": "http://upper:1", "http_proxy": "http://lower:2", "https_proxy": "http://secure:3",
            "no_proxy": "internal.example"])
        #expect(settings.httpProxy == "http://upper:1")
        #expect(settings.httpsProxy == "http://secure:3")
        #expect(settings.noProxy == "internal.example")
        #expect(settings.proxy(for: try #require(URL(string: "http://r.example/v2/"))) == "http://upper:1")
        #expect(settings.proxy(for: try #require(URL(string: "https://r.example/v2/"))) == "http://secure:3")
        // Loopback is never proxied, as in Go.
        #expect(settings.proxy(for: try #require(URL(string: "http://127.0.0.1:5000/v2/"))) == nil)
        #expect(settings.proxy(for: try #require(URL(string: "https://localhost/v2/"))) == nil)
        let httpOnly = ProxySettings.fromEnvironment(["http_proxy": "http://p:1"])
        #expect(httpOnly.proxy(for: try #require(URL(string: "https://r.example/"))) == nil)
    }

    @Test func retryDelaysGrowAreCappedAndJittered() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(3), maxTotal: .seconds(60))
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: nil, jitter: 1) == .milliseconds(500))
        #expect(policy.delay(afterFailedAttempts: 2, retryAfter: nil, jitter: 1) == .seconds(1))
        #expect(policy.delay(afterFailedAttempts: 3, retryAfter: nil, jitter: 1) == .seconds(2))
        #expect(policy.delay(afterFailedAttempts: 4, retryAfter: nil, jitter: 1) == .seconds(3))
        #expect(policy.delay(afterFailedAttempts: 40, retryAfter: nil, jitter: 1) == .seconds(3))
        #expect(policy.delay(afterFailedAttempts: 2, retryAfter: nil, jitter: 0) == .milliseconds(500))
        // Retry-After is a floor, not a cap.
        #expect(policy.delay(afterFailedAttempts: 1, retryAfter: .seconds(7), jitter: 0.5) == .seconds(7))
        #expect(policy.delay(afterFailedAttempts: 3, retryAfter: .milliseconds(10), jitter: 1) == .seconds(2))
    }

    @Test func retryScheduleIsBoundedByCountAndTime() {
        var schedule = RetrySchedule(policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1),
                                                         maxDelay: .milliseconds(2), maxTotal: .seconds(10)))
        #expect(schedule.nextDelay(retryAfter: nil) != nil)
        #expect(schedule.nextDelay(retryAfter: nil) != nil)
        #expect(schedule.nextDelay(retryAfter: nil) == nil)
        schedule.progressMade(firstByte: .now, lastByte: .now)
        #expect(schedule.nextDelay(retryAfter: nil) != nil)
        var timed = RetrySchedule(policy: RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(1),
                                                      maxDelay: .milliseconds(2), maxTotal: .seconds(5)))
        #expect(timed.nextDelay(retryAfter: .seconds(30)) == nil)
    }

    /// A download that moves a little and then stalls earns fresh attempts,
    /// but each stall is charged to the budget, so it cannot go on forever.
    @Test func stallsAfterProgressSpendTheBudget() {
        var schedule = RetrySchedule(policy: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1),
                                                         maxDelay: .milliseconds(1), maxTotal: .seconds(100)))
        let now = ContinuousClock.now
        // Bytes flowed from now to now, then 40 s of stall (as if the stall timeout fired).
        schedule.progressMade(firstByte: now, lastByte: now - .seconds(40))
        #expect(schedule.failedAttempts == 0)
        #expect(schedule.nextDelay(retryAfter: nil) != nil)
        schedule.progressMade(firstByte: .now, lastByte: .now - .seconds(40))
        #expect(schedule.nextDelay(retryAfter: nil) != nil)
        #expect(schedule.timeWithoutProgress >= .seconds(80))
        schedule.progressMade(firstByte: .now, lastByte: .now - .seconds(40))
        #expect(schedule.nextDelay(retryAfter: nil) == nil)
        // A download that keeps moving (no stall before each drop) is not cut short.
        var moving = RetrySchedule(policy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1),
                                                       maxDelay: .milliseconds(1), maxTotal: .seconds(1)))
        for _ in 0..<50 {
            moving.progressMade(firstByte: .now, lastByte: .now)
            #expect(moving.nextDelay(retryAfter: nil) != nil)
        }
    }

    @Test func retryAfterForms() {
        #expect(RetryPolicy.parseRetryAfter("3") == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now)
        #expect(later == .seconds(10))
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
    }

    @Test func transferErrorClassification() {
        #expect(HTTPTransferError.classify(CURLcodeFor(35), message: "error:0A00010B:SSL routines::wrong version number")
                == .serverDoesNotSpeakTLS)
        #expect(HTTPTransferError.classify(CURLcodeFor(35), message: "handshake failure") == .tls)
        #expect(HTTPTransferError.classify(CURLcodeFor(60), message: "self-signed certificate") == .tls)
        #expect(HTTPTransferError.classify(CURLcodeFor(7), message: "Connection refused") == .transient)
        #expect(HTTPTransferError.classify(CURLcodeFor(6), message: "Could not resolve host") == .fatal)
    }

    /// The shared store holds the bundle's certificates (checked against
    /// `openssl`'s count of the same file) and is one per bundle; a bundle
    /// without a certificate gives no store, so a handshake fails.
    @Test func trustStoreParsesOncePerBundle() throws {
        let path = "/etc/ssl/certs/ca-certificates.crt"
        let system = TrustAnchors.Sources(systemBundle: path, extras: [])
        let store = TrustStore.shared(system)
        #expect(TrustStore.shared(system) === store)
        let parsed = try #require(store.x509Store())
        #expect(store.x509Store() == parsed)
        let objects = X509_STORE_get0_objects(parsed)
        let count = try ExternalCommand.run("sh", ["-c", "grep -c 'BEGIN CERTIFICATE' \(path)"]).stdoutString
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(count) == Int(OPENSSL_sk_num(ossl_check_const_X509_OBJECT_sk_type(objects))))
        #expect(Int(count) ?? 0 > 10)
        #expect(TrustStore.shared(TrustAnchors.Sources(systemBundle: nil, extras: ["no certificates here"])).x509Store() == nil)
    }

    @Test func trustAnchorsRefuseNonPEMAndAppendToSystem() throws {
        #expect(throws: RegistryError.invalidCACertificate(index: 1)) {
            try TrustAnchors.sources(adding: ["-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----", "garbage"])
        }
        // Nothing added: the system bundle alone, `SSL_CERT_FILE` first (as Go).
        let system = try TemporaryDirectory(prefix: "trust")
        let systemFile = system.url.appendingPathComponent("bundle.pem")
        try Data("SYSTEM".utf8).write(to: systemFile)
        #expect(try TrustAnchors.sources(adding: ["  "], environment: ["SSL_CERT_FILE": systemFile.path])?.bundle()
                == Data("SYSTEM\n".utf8))
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
        let bundle = try #require(try TrustAnchors.sources(adding: [pem], environment: [:])).bundle()
        let text = String(decoding: bundle, as: UTF8.self)
        #expect(text.hasSuffix(pem + "\n"))
        if let system = FileManager.default.contents(atPath: "/etc/ssl/certs/ca-certificates.crt") {
            #expect(bundle.count == system.count + 1 + pem.utf8.count + 1)
        }
    }
}
