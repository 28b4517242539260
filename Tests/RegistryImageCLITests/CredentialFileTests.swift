import Foundation
import Testing
import TestSupport
@testable import RegistryImageCLI
import RegistryClient

/// Auth files as docker, podman and skopeo write them, read and rewritten.
@Suite struct CredentialFileTests {
    static func write(_ json: String, in directory: TemporaryDirectory, name: String = "auth.json") throws -> String {
        let path = directory.appending(name).path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func basic(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func readsAuthsByHostNamespaceAndDockerHubAliases() throws {
        let dir = try TemporaryDirectory()
        let path = try Self.write("""
        {"auths": {
          "https://index.docker.io/v1/": {"auth": "\(Self.basic("hub:pw:with:colons"))"},
          "quay.io": {"auth": "\(Self.basic("quay-user:q"))"},
          "quay.io/team": {"auth": "\(Self.basic("team-user:t"))"},
          "http://old.example:5000/v2/": {"auth": "\(Self.basic("old:o"))"}
        }, "HttpHeaders": {"X": "kept"}}
        """, in: dir)
        let file = try AuthFile.load(path)
        func entry(_ registry: String, _ repository: String?) throws -> AuthFile.Entry? {
            try file.entry(keys: RegistryHost.keys(registry: registry, repository: repository), host: RegistryHost.canonical(registry))
        }
        #expect(try entry("registry-1.docker.io", "library/alpine") == .credentials(RegistryCredentials(username: "hub", password: "pw:with:colons")))
        #expect(try entry("quay.io", "team/app") == .credentials(RegistryCredentials(username: "team-user", password: "t")))
        #expect(try entry("quay.io", "other/app") == .credentials(RegistryCredentials(username: "quay-user", password: "q")))
        #expect(try entry("old.example:5000", "x") == .credentials(RegistryCredentials(username: "old", password: "o")))
        #expect(try entry("ghcr.io", "x") == nil)
    }

    @Test func helpersOutrankAuthsAndCredsStoreIsTheFallback() throws {
        let dir = try TemporaryDirectory()
        let path = try Self.write("""
        {"auths": {"a.example": {"auth": "\(Self.basic("u:p"))"}, "b.example": {"auth": "\(Self.basic("u:p"))"}},
         "credHelpers": {"a.example": "ecr-login"}, "credsStore": "pass"}
        """, in: dir)
        let file = try AuthFile.load(path)
        #expect(try file.entry(keys: ["a.example"], host: "a.example") == .helper("ecr-login"))
        #expect(try file.entry(keys: ["b.example"], host: "b.example") == .credentials(RegistryCredentials(username: "u", password: "p")))
        #expect(try file.entry(keys: ["c.example"], host: "c.example") == .helper("pass"))
    }

    @Test func storeAndRemoveKeepOtherKeysAndUseMode0600() throws {
        let dir = try TemporaryDirectory()
        let path = try Self.write("""
        {"auths": {"https://keep.example": {"auth": "\(Self.basic("k:k"))"}, "http://me.example/": {"auth": "\(Self.basic("old:old"))"}},
         "credsStore": "", "experimental": "enabled"}
        """, in: dir)
        var file = try AuthFile.load(path)
        file.store(RegistryCredentials(username: "new", password: "secret"), key: "me.example")
        try file.write()
        let stored = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let auths = try #require(stored["auths"] as? [String: Any])
        #expect(Set(auths.keys) == ["https://keep.example", "me.example"], "the old spelling is replaced, others kept")
        #expect(stored["experimental"] as? String == "enabled")
        #expect((auths["me.example"] as? [String: Any])?["auth"] as? String == Self.basic("new:secret"))
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)

        var again = try AuthFile.load(path)
        let first = again.remove(key: "me.example")
        let second = again.remove(key: "me.example")
        let never = again.remove(key: "never.example")
        #expect(first && !second && !never)
    }

    @Test func malformedFilesAndEntriesAreOneLineErrorsWithoutSecrets() throws {
        let dir = try TemporaryDirectory()
        let notJSON = try Self.write("{auths", in: dir, name: "a.json")
        #expect(throws: CredentialError.self) { try AuthFile.load(notJSON) }
        let badEntry = try Self.write(#"{"auths": {"x.example": {"auth": "bm9jb2xvbg=="}}}"#, in: dir, name: "b.json")
        let error = #expect(throws: CredentialError.self) {
            try AuthFile.load(badEntry).entry(keys: ["x.example"], host: "x.example")
        }
        #expect(error == .malformedEntry("x.example", path: badEntry))
        #expect(!(error?.description.contains("nocolon") ?? true))
        // An empty file is an empty auth file.
        let empty = try Self.write("\n", in: dir, name: "c.json")
        #expect(try AuthFile.load(empty).entry(keys: ["x"], host: "x") == nil)
    }

    @Test func searchOrder() {
        let all = ["REGISTRY_AUTH_FILE": "/a/auth.json", "XDG_RUNTIME_DIR": "/run/user/7", "HOME": "/home/u"]
        #expect(AuthFileLocations(authFile: nil, environment: all).searched == ["/a/auth.json"])
        #expect(AuthFileLocations(authFile: "/flag.json", environment: all).searched == ["/flag.json"])
        let usual = AuthFileLocations(authFile: nil, environment: ["XDG_RUNTIME_DIR": "/run/user/7", "HOME": "/home/u"])
        #expect(usual.searched == ["/run/user/7/containers/auth.json", "/home/u/.docker/config.json"])
        #expect(usual.target == "/run/user/7/containers/auth.json")
        let docker = AuthFileLocations(authFile: nil, environment: ["HOME": "/home/u", "DOCKER_CONFIG": "/etc/d"])
        #expect(docker.searched == ["/etc/d/config.json"] && docker.target == "/etc/d/config.json")
        #expect(docker.storedKey("docker.io", in: "/etc/d/config.json") == "https://index.docker.io/v1/")
        #expect(usual.storedKey("docker.io", in: "/run/user/7/containers/auth.json") == "docker.io")
    }

    @Test func loginArgumentsBecomeKeys() throws {
        #expect(try CredentialStore.key(forLoginArgument: "https://index.docker.io/v1/") == "docker.io")
        #expect(try CredentialStore.key(forLoginArgument: "registry-1.docker.io") == "docker.io")
        #expect(try CredentialStore.key(forLoginArgument: "127.0.0.1:5000") == "127.0.0.1:5000")
        #expect(try CredentialStore.key(forLoginArgument: "quay.io/team/") == "quay.io/team")
        #expect(throws: CredentialError.self) { try CredentialStore.key(forLoginArgument: "") }
        #expect(throws: CredentialError.self) { try CredentialStore.key(forLoginArgument: "bad host") }
        #expect(throws: CredentialError.self) { try CredentialStore.key(forLoginArgument: "quay.io/UPPER") }
    }

    @Test func credentialsNeverPrintTheirPassword() {
        let credentials = RegistryCredentials(username: "u", password: "hunter2")
        #expect(!"\(credentials)".contains("hunter2"))
    }
}
