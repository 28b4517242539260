import Foundation
import TestSupport
import Testing

/// The Dockerfile (never run here: no Docker engine) and `make image` must ship
/// the same tree. Both run scripts/image-rootfs.sh; this checks, by parsing the
/// Dockerfile, that they agree on what goes into /opt/resource and on the
/// library set: the Dockerfile installs exactly the packages of the libraries
/// the binary links, and the tree holds exactly the libraries `ldd` names.
@Suite("Dockerfile and make image agree", .enabled(if: ShipImage.enabled))
struct DockerfileAgreementTests {
    /// debian:bookworm-slim's own C/C++ runtime (not installed by the Dockerfile).
    static let basePackages: Set<String> = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g"]

    /// The Dockerfile's stages by name, each its lines with continuations joined.
    static func stages() throws -> [String: [String]] {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        var joined: [String] = []
        var current = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if current.isEmpty && (line.hasPrefix("#") || line.isEmpty) { continue }
            if line.hasSuffix("\\") {
                current += line.dropLast() + " "
            } else {
                joined.append(current + line)
                current = ""
            }
        }
        var stages: [String: [String]] = [:]
        var name = ""
        for line in joined {
            if line.hasPrefix("FROM ") {
                let words = line.split(separator: " ")
                name = words.count >= 4 && words[2].uppercased() == "AS" ? String(words[3]) : line
            }
            stages[name, default: []].append(line)
        }
        return stages
    }

    static func words(_ lines: [String]) -> [String] {
        lines.flatMap { $0.split(whereSeparator: { " &;".contains($0) }).map(String.init) }
    }

    /// The binary's libraries: direct (readelf NEEDED) and full (ldd), resolved paths.
    static func needed(_ binary: String) throws -> [String] {
        let out = String(decoding: try ExternalCommand.check("readelf", ["-d", binary]), as: UTF8.self)
        return out.split(separator: "\n").compactMap { line in
            guard line.contains("(NEEDED)"), let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
    }

    static func ldd(_ binary: String) throws -> [String: String] {
        let out = String(decoding: try ExternalCommand.check("ldd", [binary]), as: UTF8.self)
        var libraries: [String: String] = [:]
        for line in out.split(separator: "\n") {
            let words = line.split(separator: " ").map { $0.trimmingCharacters(in: .whitespaces) }
            if words.count >= 3, words[1] == "=>" { libraries[words[0]] = words[2] }
            else if let first = words.first, first.hasPrefix("/") { libraries[(first as NSString).lastPathComponent] = first }
        }
        return libraries
    }

    static func owner(_ path: String) throws -> String? {
        for candidate in [path, URL(fileURLWithPath: path).resolvingSymlinksInPath().path] {
            let result = try ExternalCommand.run("dpkg", ["-S", candidate])
            if result.status == 0, let package = result.stdoutString.split(separator: ":").first { return String(package) }
        }
        return nil
    }

    @Test func sameOptResourceAndLibrarySet() throws {
        let stages = try Self.stages()
        let build = try #require(stages["build"], "Dockerfile has no `build` stage")
        let rootfs = try #require(stages["rootfs"], "Dockerfile has no `rootfs` stage")
        let resource = try #require(stages["resource"], "Dockerfile has no `resource` stage")

        // The shipped image is the script's tree and nothing else (no shell to RUN with).
        #expect(resource.first == "FROM scratch AS resource")
        #expect(resource.contains("COPY --from=rootfs /rootfs /"))
        #expect(!resource.contains { $0.hasPrefix("RUN ") })
        #expect(rootfs.contains { $0.hasPrefix("RUN ") && $0.contains("scripts/image-rootfs.sh") && $0.contains("/rootfs") })

        // Both link the binary the same way.
        #expect(build.contains { $0.hasPrefix("RUN ") && $0.contains("scripts/build-static.sh") })

        // /opt/resource: what the build stage puts there, as links and files.
        let buildWords = Self.words(build)
        var dockerEntries: [String: String] = [:]
        for (index, word) in buildWords.enumerated() where word.hasPrefix("/out/opt/resource/") {
            let name = String(word.dropFirst("/out/opt/resource/".count))
            let isLink = index >= 3 && buildWords[index - 3] == "ln" && buildWords[index - 2] == "-s"
            dockerEntries[name] = isLink ? "-> " + buildWords[index - 1] : "file"
        }
        let tree = try ShipImageRootfsTests.assemble()
        let root = tree.url.appendingPathComponent("root")
        var treeEntries: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path + "/opt/resource") {
            let path = root.path + "/opt/resource/" + name
            treeEntries[name] = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { "-> " + $0 } ?? "file"
        }
        #expect(dockerEntries == ["registry-image": "file", "check": "-> registry-image", "in": "-> registry-image",
                                  "out": "-> registry-image"])
        #expect(treeEntries == dockerEntries)

        // Packages: the Dockerfile installs the owners of the libraries the
        // binary links directly (beyond bookworm-slim's base), and CA roots.
        let installed = Set(Self.words(rootfs).drop { $0 != "install" }.dropFirst()
            .prefix { !$0.hasPrefix("rm") }.filter { !$0.hasPrefix("-") })
        let binary = ShipImage.binary.path
        let libraries = try Self.ldd(binary)
        var linked: Set<String> = ["ca-certificates"]
        for name in try Self.needed(binary) {
            let path = try #require(libraries[name], "ldd does not resolve \(name)")
            let package = try #require(try Self.owner(path), "no package owns \(path)")
            if !Self.basePackages.contains(package) { linked.insert(package) }
        }
        #expect(installed == linked, "Dockerfile installs \(installed.sorted()), the binary links \(linked.sorted())")

        // The tree: exactly the libraries ldd names (by file name), no others.
        let listing = try ShipImage.listing(root)
        let treeLibraries = Set(listing.compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[1] != "d", parts[0].contains(".so") else { return nil }
            return (String(parts[0]) as NSString).lastPathComponent
        })
        let lddNames = Set(libraries.keys)
        for library in treeLibraries where !lddNames.contains(library) {
            // Real files behind soname links (libz.so.1.2.13 for libz.so.1) are fine.
            #expect(lddNames.contains { library.hasPrefix($0) } || library.hasPrefix("ld-linux"), "\(library) is not a library ldd names")
        }
        #expect(lddNames.subtracting(treeLibraries).isEmpty, "missing: \(lddNames.subtracting(treeLibraries).sorted())")
        // Beyond libraries: only /opt/resource, the CA bundle and the minimal /etc.
        let others = listing.filter { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 && parts[1] == "f" && !parts[0].contains(".so")
        }.map { String($0.split(separator: " ")[0]) }
        #expect(others.sorted() == ["etc/group", "etc/hosts", "etc/nsswitch.conf", "etc/passwd",
                                    "etc/ssl/certs/ca-certificates.crt", "opt/resource/registry-image"])
    }
}
