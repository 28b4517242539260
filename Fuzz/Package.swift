// swift-tools-version: 6.0
// Coverage-guided fuzz targets (libFuzzer) for the registry-image package.
// A package of its own so the main package's `swift build` never sees
// `-sanitize=fuzzer`. Built and run by `make fuzz` / `scripts/fuzz.sh`.
import Foundation
import PackageDescription

// A path dependency is identified by its directory's name, which differs per
// checkout (a worktree, CI's clone), so it is read rather than written down.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "registry-image-fuzz",
    dependencies: [
        .package(path: mainPackage.path),
    ],
    targets: [
        .executableTarget(
            name: "registry-image-fuzz",
            dependencies: [
                .product(name: "RegistryImageModules", package: mainPackage.lastPathComponent.lowercased()),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
