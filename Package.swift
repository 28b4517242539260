// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "registry-image",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "registry-image", targets: ["registry-image"]),
        .library(name: "RegistryImage", targets: ["RegistryImage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "CLibs",
            linkerSettings: [
                .linkedLibrary("curl"),
                .linkedLibrary("crypto"),
                .linkedLibrary("archive"),
                .linkedLibrary("isal"),
                .linkedLibrary("zstd"),
            ]
        ),
        .target(
            name: "FastExtract",
            dependencies: ["CLibs"]
        ),
        .target(
            name: "RegistryImage",
            dependencies: [
                "FastExtract",
                "CLibs",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "registry-image",
            dependencies: [
                "RegistryImage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FastExtractTests",
            dependencies: ["FastExtract", "CLibs", "TestSupport"]
        ),
        .testTarget(
            name: "RegistryImageTests",
            dependencies: ["RegistryImage", "FastExtract", "TestSupport"]
        ),
        // Starts real servers (docker-registry, token server, proxies) and
        // builds fixture images with tools other than this project's code.
        .target(
            name: "TestSupport",
            dependencies: ["FastExtract"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["RegistryImage", "FastExtract", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
