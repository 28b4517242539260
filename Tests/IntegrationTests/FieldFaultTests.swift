import Foundation
import Glibc
import Testing
import TestSupport

/// Faults the resource meets where it really runs, each through the executable
/// against a real registry (with the fault proxy in front where a fault must
/// be made): tokens expiring mid-blob, stalling servers, connections closed
/// while idle, a process killed mid-fetch, a full disk. Timeouts and budgets
/// are shortened through the documented `RI_STALL_TIMEOUT_MS` /
/// `RI_RETRY_BUDGET_MS`. Each test prints the figure it measured.
@Suite("Field faults", .serialized)
struct FieldFaultTests {
    /// Two layers, 4.4 MB in all (random, so gzip keeps them that big).
    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["A=1"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/hello", "hello\n"), .randomFile("etc/first", size: 400_000, seed: "ff1")]),
            LayerSpec([.randomFile("bin/big", size: 4_000_000, seed: "ff-big")]),
        ])

    /// The image's layout, built once for the suite.
    static let layout = Result { try buildFixture(FieldFaultTests.image) }

    final class Setup: ProxiedImage {
        init(_ name: String, registry options: TestRegistryOptions = .plain) throws {
            try super.init(try FieldFaultTests.layout.get(), name: name, registry: options)
        }

        var source: [String: Any] {
            var source: [String: Any] = [:]
            if let pem = registry.caCertificatePEM { source["ca_certs"] = [pem] }
            if ProcessInfo.processInfo.environment["FIELD_DEBUG"] != nil { source["debug"] = true }
            if let user = registry.username, let password = registry.password {
                source["username"] = user
                source["password"] = password
            }
            return source
        }

        func fetch(into destination: TemporaryDirectory, environment: [String: String] = [:]) throws -> CommandResult {
            try fetch(intoPath: destination.path, environment: environment)
        }

        func fetch(intoPath destination: String, environment: [String: String] = [:]) throws -> CommandResult {
            try ResourceRunner.run(
                ["in", destination],
                request: ResourceRunner.inRequest(repository: repository, digest: digest, source: source),
                environment: environment)
        }

        /// Blob body bytes one clean fetch takes through the proxy.
        func cleanFetchBytes() throws -> Int {
            try proxy.resetStats()
            let destination = try TemporaryDirectory(prefix: "field-clean")
            let result = try fetch(into: destination)
            try #require(result.status == 0, "\(result.stderr)")
            let bytes = try proxy.stats().blobBodyBytes
            try proxy.resetStats()
            return bytes
        }
    }

    static func expectComplete(_ destination: TemporaryDirectory, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let big = try ExternalCommand.check("sha256sum", [destination.path + "/rootfs/bin/big"])
        #expect(big.count > 64, sourceLocation: sourceLocation)
        #expect(FileManager.default.contents(atPath: destination.path + "/rootfs/etc/hello") == Data("hello\n".utf8),
                sourceLocation: sourceLocation)
        #expect(FileManager.default.fileExists(atPath: destination.path + "/metadata.json"), sourceLocation: sourceLocation)
        #expect(FetchRequests.names(destination.url).filter { $0.contains("partial") } == [],
                sourceLocation: sourceLocation)
    }

    /// Nothing in `destination` that looks like a result.
    static func expectNothingComplete(_ destination: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        let names = FetchRequests.names(destination)
        #expect(!names.contains("rootfs") && !names.contains("metadata.json"), "\(names)", sourceLocation: sourceLocation)
    }

    // MARK: Bearer token expiring mid-blob

    /// Tokens live 2 s but are announced for an hour, so the client learns of
    /// expiry only from the registry's 401. The blob is cut at 512 KiB and the
    /// cut held 3 s: the resume carries an expired token, gets 401, fetches a
    /// fresh token and continues with `Range` from byte 524288 — not from zero.
    @Test func tokenExpiringDuringABlobResumesWithAFreshToken() throws {
        let setup = try Setup("field/token", registry: TestRegistryOptions(
            tls: true, auth: .token(anonymousPull: false), tokenLifetime: 2, advertisedTokenLifetime: 3600))
        let clean = try setup.cleanFetchBytes()
        let tokensBefore = try setup.registry.tokenRequestCount()
        try setup.proxy.configure(FaultProxyConfig(
            cutBlobBody: .init(afterBytes: 524_288, times: 1, pauseMs: 3_000), rejectExpiredTokens: true))
        let destination = try TemporaryDirectory(prefix: "field-token")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        let stats = try setup.proxy.stats()
        #expect(stats.cuts == 1)
        #expect(stats.expiredTokens >= 1, "the resume must have carried the expired token")
        #expect(try setup.registry.tokenRequestCount() > tokensBefore, "a fresh token was fetched")
        #expect(stats.ranges.contains("bytes=524288-"), "\(stats.ranges)")
        let again = stats.blobBodyBytes - clean
        print("field: token expiry mid-blob: \(again) bytes re-downloaded (clean fetch \(clean) bytes)")
        #expect(again == 0, "bytes sent twice: \(again)")
        try Self.expectComplete(destination)
    }

    // MARK: Stalls and idle connections

    /// One stall after 1 MiB: the stall timeout (1 s here) drops the
    /// connection and the blob resumes where it stopped.
    @Test func oneStallIsResumed() throws {
        let setup = try Setup("field/stall-once")
        try setup.proxy.configure(FaultProxyConfig(stallBlobBody: .init(afterBytes: 1 << 20, times: 1)))
        let destination = try TemporaryDirectory(prefix: "field-stall1")
        let started = ContinuousClock.now
        let result = try setup.fetch(into: destination, environment: ["RI_STALL_TIMEOUT_MS": "1000"])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try setup.proxy.stats().stalls == 1)
        #expect(try setup.proxy.stats().ranges.contains("bytes=\(1 << 20)-"))
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(20), "\(elapsed)")
        try Self.expectComplete(destination)
    }

    /// A server that sends 64 KiB per connection and then stalls, forever.
    /// Each resume makes a little progress, which once renewed the budget
    /// without end; now each stall is charged to it, and the fetch fails
    /// within the budget plus one stall timeout (here 3 s + 1 s), naming the stall.
    @Test func stallingServerIsBoundedByTheRetryBudget() throws {
        let setup = try Setup("field/stall-forever")
        try setup.proxy.configure(FaultProxyConfig(stallBlobBody: .init(afterBytes: 65_536, times: 1_000)))
        let destination = try TemporaryDirectory(prefix: "field-stall")
        let started = ContinuousClock.now
        let result = try setup.fetch(into: destination, environment: ["RI_STALL_TIMEOUT_MS": "1000",
                                                                      "RI_RETRY_BUDGET_MS": "3000"])
        let elapsed = ContinuousClock.now - started
        print("field: 64 KiB-then-stall server: failed after \(elapsed) with budget 3 s, stall timeout 1 s; "
              + "\(try setup.proxy.stats().stalls) stalled connections")
        FetchRequests.expectCleanFailure(result, mentioning: "stall timeout")
        #expect(elapsed < .seconds(12), "\(elapsed)")
        #expect(try setup.proxy.stats().stalls >= 2, "it resumed at least once before giving up: \(result.stderr)")
        Self.expectNothingComplete(destination.url)
        #expect(FetchRequests.names(destination.url).filter { $0.contains("partial") } == [])
    }

    /// The server closes every kept-alive connection idle for 1 ms: each
    /// request finds its connection gone and opens a new one; the fetch succeeds.
    @Test func idleConnectionsClosedByTheServerAreReopened() throws {
        let setup = try Setup("field/idle")
        try setup.proxy.configure(FaultProxyConfig(idleCloseMs: 1))
        let destination = try TemporaryDirectory(prefix: "field-idle")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try setup.proxy.stats().idleCloses >= 1)
        try Self.expectComplete(destination)
    }

    // MARK: SIGKILL mid-fetch

    /// `pull` killed with SIGKILL at 3 MiB leaves only a hidden staging entry;
    /// the next `pull` into the same destination succeeds and removes it.
    @Test func pullKilledMidFetchLeavesOnlyHiddenStagingThatTheNextPullRemoves() throws {
        let setup = try Setup("field/kill")
        try setup.proxy.configure(FaultProxyConfig(stallBlobBody: .init(afterBytes: 3 << 20, times: 1)))
        let destination = try TemporaryDirectory(prefix: "field-kill")
        let process = try ResourceRunner.start(["pull", "\(setup.repository):v1", destination.path, "--format", "rootfs"])
        let deadline = ContinuousClock.now + .seconds(60)
        while try setup.proxy.stats().stalls == 0, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(try setup.proxy.stats().stalls == 1, "the pull reached 3 MiB")
        process.signal(SIGKILL)
        _ = process.wait()
        let left = FetchRequests.names(destination.url)
        print("field: pull killed at 3 MiB left \(left)")
        #expect(!left.isEmpty && left.allSatisfy { $0.hasPrefix(".") }, "only hidden staging entries: \(left)")
        #expect(left.contains(".rootfs.partial-\(process.processIdentifier)"), "\(left)")

        try setup.proxy.configure(FaultProxyConfig())
        let again = try ResourceRunner.run(["pull", "\(setup.repository):v1", destination.path, "--format", "rootfs"],
                                           environment: ["RI_RETRY_BASE_DELAY_MS": "5"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(FetchRequests.names(destination.url).filter { $0.contains("partial") } == [],
                "\(FetchRequests.names(destination.url))")
        #expect(FileManager.default.fileExists(atPath: destination.path + "/rootfs/bin/big"))
    }

    /// `extract` into a destination beside a dead run's staging (and its
    /// half-done `.removing` form) removes them; a live process's is kept.
    @Test func extractRemovesStagingOfDeadRunsOnly() throws {
        let layout = try Self.layout.get()
        let parent = try TemporaryDirectory(prefix: "field-extract")
        let dead = try Self.deadPid()
        for name in [".rootfs.partial-\(dead)", ".rootfs.partial-\(dead).removing", ".rootfs.partial-1"] {
            try FileManager.default.createDirectory(atPath: parent.path + "/" + name + "/usr/ro",
                                                    withIntermediateDirectories: true)
            chmod(parent.path + "/" + name + "/usr", 0o555)
        }
        let result = try ResourceRunner.run(["extract", layout.url.path, parent.path + "/rootfs"])
        #expect(result.status == 0, "\(result.stderr)")
        // pid 1 is running: its staging is not ours to remove.
        #expect(FetchRequests.names(parent.url) == [".rootfs.partial-1", "rootfs"])
        chmod(parent.path + "/.rootfs.partial-1/usr", 0o755)
    }

    /// A pid that no process has now (a child that has exited and been reaped).
    static func deadPid() throws -> pid_t {
        let process = try ExternalCommand.start("/bin/true", [])
        _ = process.wait()
        return process.processIdentifier
    }

    // MARK: Disk full

    /// The destination is a 1 MiB tmpfs: extraction hits ENOSPC. One error
    /// line names the cause, the exit is non-zero, nothing looks complete and
    /// no staging is left. Needs root (mount); skipped otherwise.
    @Test(.enabled(if: geteuid() == 0)) func diskFullDuringExtraction() throws {
        let setup = try Setup("field/enospc")
        let mountPoint = try TemporaryDirectory(prefix: "field-enospc")
        let mounted = try ExternalCommand.run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.path])
        try #require(mounted.status == 0, "mount: \(mounted.stderr)")
        defer { _ = try? ExternalCommand.run("umount", [mountPoint.path]) }
        let destination = mountPoint.url.appendingPathComponent("dest")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        let started = ContinuousClock.now
        let result = try setup.fetch(intoPath: destination.path)
        let elapsed = ContinuousClock.now - started
        print("field: disk full: failed after \(elapsed): \(result.stderr.split(separator: "\n").last ?? "")")
        FetchRequests.expectCleanFailure(result, mentioning: "no space left on device")
        Self.expectNothingComplete(destination)
        #expect(FetchRequests.names(destination).filter { $0.contains("partial") } == [],
                "\(FetchRequests.names(destination))")
    }
}
