import Testing
@testable import RegistryImage

@Suite struct OCIPlatformTests {
    @Test func parses() throws {
        #expect(try Platform(parsing: "linux/arm64/v8") == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(try Platform(parsing: "arm64/v8") == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(try Platform(parsing: "amd64") == Platform(os: "linux", architecture: "amd64"))
        #expect(try Platform(parsing: "windows/amd64") == Platform(os: "windows", architecture: "amd64"))
        #expect(throws: PlatformError.self) { try Platform(parsing: "linux//v7") }
        #expect(throws: PlatformError.self) { try Platform(parsing: "a/b/c/d") }
        #expect(throws: PlatformError.self) { try Platform(parsing: "linux") }
    }

    @Test func defaultVariants() {
        let arm64 = Platform(os: "linux", architecture: "arm64")
        #expect(arm64.matchRank(of: Platform(os: "linux", architecture: "arm64", variant: "v8")) == 0)
        #expect(Platform(os: "linux", architecture: "arm64", variant: "v8").matches(Platform(os: "linux", architecture: "aarch64")))
        let arm = Platform(os: "linux", architecture: "arm")
        #expect(arm.matchRank(of: Platform(os: "linux", architecture: "arm", variant: "v7")) == 0)
        // No variant asked: another variant is acceptable, but ranks below the default.
        #expect(arm.matchRank(of: Platform(os: "linux", architecture: "arm", variant: "v6")) == 1)
        #expect(!Platform(os: "linux", architecture: "arm", variant: "v7").matches(Platform(os: "linux", architecture: "arm", variant: "v6")))
        #expect(!arm64.matches(Platform(os: "linux", architecture: "amd64")))
        #expect(!arm64.matches(Platform(os: "windows", architecture: "arm64")))
        #expect(Platform(os: "linux", architecture: "x86_64").matches(Platform(os: "linux", architecture: "amd64")))
        let windows = Platform(os: "windows", architecture: "amd64", osVersion: "10.0.17763.1")
        #expect(!windows.matches(Platform(os: "windows", architecture: "amd64", osVersion: "10.0.20348.1")))
    }

    @Test func hostDefault() {
        #if arch(x86_64)
        #expect(Platform.host.description == "linux/amd64")
        #elseif arch(arm64)
        #expect(Platform.host.description == "linux/arm64")
        #endif
    }
}
