// swift-tools-version: 6.0
import PackageDescription

// The layers, bottom up. A target may import only what sits below it, and
// declares exactly what its files import (scripts/check-imports.py checks it):
//
//   C libraries     CCurl  CArchive  CCrypto  CCompression  CLinux
//   OCIModel        digests, descriptors, manifests, index, config, platform, references,  → CCrypto, CLinux
//                   threads and locks
//   FastExtract     decompression, tar, rootfs writer, layer streaming (no libcurl)       → OCIModel, CArchive, CCompression, CLinux
//   RegistryClient  HTTP over libcurl, auth, retries, blobs, manifests, tags, uploads     → OCIModel, CCurl, CCrypto
//   Signatures      sigstore/cosign: policy, bundle and trusted-root model, verifier, signer → RegistryClient, OCIModel, CCrypto, CSodium
//   CloudCredentials the worker's cloud identity → registry credentials (ECR, ECR Public, ACR, GAR) over RegistryClient's HTTP layer → RegistryClient, OCIModel, CCrypto
//   ImageIO         image sources and destinations by format, the one transfer, progress → RegistryClient, FastExtract, OCIModel (+ CArchive, CCompression)
//   ResourceCore    check planner, semver and constraints, tag planner                   → OCIModel
//   Concourse       the resource protocol: JSON requests and responses, check/in/out      → ResourceCore, ImageIO, CloudCredentials, Signatures, RegistryClient, OCIModel
//   RegistryImageCLI the by-hand commands, transport names, inspection, layer files       → Concourse, ResourceCore, ImageIO, Signatures, RegistryClient, OCIModel
//   registry-image  the executable: argv[0] dispatch                                      → RegistryImageCLI, CLinux
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "registry-image",
    // Linux only (Glibc, openat2, /proc): SwiftPM's `platforms:` lists Apple
    // systems alone, so none is named here.
    products: [
        .executable(name: "registry-image", targets: ["registry-image"]),
        // For Fuzz/, the libFuzzer package that depends on this one by path
        // (a package can only depend on another's products).
        .library(name: "RegistryImageModules", targets: ["OCIModel", "FastExtract", "ImageIO", "ResourceCore", "Concourse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CArchive", linkerSettings: [.linkedLibrary("archive")]),
        .systemLibrary(name: "CCrypto"),
        .target(name: "CCompression", linkerSettings: [.linkedLibrary("isal"), .linkedLibrary("zstd")]),
        .target(name: "CLinux"),
        .systemLibrary(name: "CSodium"),

        .target(name: "OCIModel", dependencies: ["CCrypto", "CLinux"]),
        .target(name: "FastExtract", dependencies: ["OCIModel", "CArchive", "CCompression", "CLinux"]),
        .target(name: "RegistryClient", dependencies: ["OCIModel", "CCurl", "CCrypto", logging]),
        .target(
            name: "Signatures",
            dependencies: ["RegistryClient", "OCIModel", "CCrypto", "CSodium"],
            // The public-good trusted root is compiled in (PublicGoodTrustedRootJSON.swift).
            exclude: ["PublicGood/trusted_root.json", "PublicGood/README.md"]),
        .target(
            name: "CloudCredentials",
            dependencies: ["RegistryClient", "OCIModel", "CCrypto", logging]),
        .target(
            name: "ImageIO",
            // libarchive and ISA-L directly only for the tarball writer and
            // push's gzip compressor.
            dependencies: ["RegistryClient", "FastExtract", "OCIModel", "CArchive", "CCompression", logging]),
        .target(name: "ResourceCore", dependencies: ["OCIModel"]),
        .target(name: "Concourse", dependencies: ["ResourceCore", "ImageIO", "CloudCredentials", "Signatures", "RegistryClient", "OCIModel", logging]),
        .target(
            name: "RegistryImageCLI",
            dependencies: [
                "Concourse", "ResourceCore", "ImageIO", "Signatures", "RegistryClient", "OCIModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), logging,
            ]),
        .executableTarget(name: "registry-image", dependencies: ["RegistryImageCLI", "CLinux"]),

        // Starts real servers (docker-registry, token server, proxies) and
        // builds fixture images with tools other than this project's code.
        .target(name: "TestSupport", dependencies: [], path: "Tests/TestSupport"),
        // One unit-test target per module; IntegrationTests runs the executable.
        .testTarget(name: "OCIModelTests", dependencies: ["OCIModel", "TestSupport"]),
        .testTarget(name: "FastExtractTests", dependencies: ["FastExtract", "OCIModel", "CLinux", "TestSupport"]),
        .testTarget(name: "SignaturesTests", dependencies: ["Signatures", "OCIModel", "TestSupport"]),
        .testTarget(name: "CloudCredentialsTests", dependencies: ["CloudCredentials", "TestSupport", logging]),
        .testTarget(name: "RegistryClientTests", dependencies: ["RegistryClient", "OCIModel", "CCurl", "CCrypto", "TestSupport"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "FastExtract", "OCIModel", "TestSupport", logging]),
        .testTarget(name: "ResourceCoreTests", dependencies: ["ResourceCore", "OCIModel", "TestSupport"]),
        .testTarget(name: "ConcourseTests", dependencies: ["Concourse", "ResourceCore", "OCIModel", "RegistryClient"]),
        .testTarget(
            name: "RegistryImageCLITests",
            dependencies: ["RegistryImageCLI", "ImageIO", "RegistryClient", "OCIModel", "TestSupport"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Concourse", "ImageIO", "ResourceCore", "RegistryClient", "OCIModel", "TestSupport", logging]),
    ],
    swiftLanguageModes: [.v6]
)
