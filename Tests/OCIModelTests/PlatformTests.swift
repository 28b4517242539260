@testable import OCIModel
import Testing

@Suite struct PlatformTests {
    @Test func parses() throws {
        #expect(try Platform(parsing: "linux/arm64/v8") == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(try Platform(parsing: "arm64/v8") == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(try Platform(parsing: "amd64") == Platform(os: "linux", architecture: "amd64"))
        #expect(try Platform(parsing: "windows/amd64") == Platform(os: "windows", architecture: "amd64"))
        #expect(throws: OCIModelError.self) { try Platform(parsing: "linux//v7") }
        #expect(throws: OCIModelError.self) { try Platform(parsing: "a/b/c/d") }
        #expect(throws: OCIModelError.self) { try Platform(parsing: "linux") }
    }

    @Test func defaultVariants() {
        let arm64 = Platform(os: "linux", architecture: "arm64")
        #expect(arm64.matchRank(of: Platform(os: "linux", architecture: "arm64", variant: "v8")) == 0)
        #expect(Platform(os: "linux", architecture: "arm64", variant: "v8").matchRank(of: Platform(os: "linux", architecture: "aarch64")) != nil)
        let arm = Platform(os: "linux", architecture: "arm")
        #expect(arm.matchRank(of: Platform(os: "linux", architecture: "arm", variant: "v7")) == 0)
        // No variant asked: another variant is acceptable, but ranks below the default.
        #expect(arm.matchRank(of: Platform(os: "linux", architecture: "arm", variant: "v6")) == 1)
        #expect(Platform(os: "linux", architecture: "arm", variant: "v7").matchRank(of: Platform(os: "linux", architecture: "arm", variant: "v6")) == nil)
        #expect(arm64.matchRank(of: Platform(os: "linux", architecture: "amd64")) == nil)
        #expect(arm64.matchRank(of: Platform(os: "windows", architecture: "arm64")) == nil)
        #expect(Platform(os: "linux", architecture: "x86_64").matchRank(of: Platform(os: "linux", architecture: "amd64")) != nil)
        let windows = Platform(os: "windows", architecture: "amd64", osVersion: "10.0.17763.1")
        #expect(windows.matchRank(of: Platform(os: "windows", architecture: "amd64", osVersion: "10.0.20348.1")) == nil)
    }

    @Test func hostDefault() {
        #if arch(x86_64)
        #expect(Platform.host.description == "linux/amd64")
        #elseif arch(arm64)
        #expect(Platform.host.description == "linux/arm64")
        #endif
    }
}
