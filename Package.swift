// swift-tools-version: 6.0
import PackageDescription

// The layers, bottom up. A target may import only what sits below it:
//
//   C libraries     CCurl  CArchive  CCrypto  CCompression  CLinux
//   OCIModel        digests, descriptors, manifests, index, config, platform, references   → CCrypto
//   FastExtract     decompression, tar, rootfs writer, layer streaming (no libcurl)       → OCIModel, CArchive, CCompression, CLinux
//   RegistryClient  HTTP over libcurl, auth, retries, blobs, manifests, tags, uploads     → OCIModel, CCurl, CCrypto
//   Signatures      sigstore/cosign: policy, bundle and trusted-root model, verifier, signer → RegistryClient, OCIModel, CCrypto, CSodium
//   ImageIO         image sources and destinations, the one transfer, formats, progress   → RegistryClient, FastExtract (+ CArchive, CCompression)
//   ResourceCore    check planner, semver and constraints, tag planner                   → RegistryClient
//   Concourse       the resource protocol: JSON requests and responses, check/in/out      → ResourceCore, ImageIO, Signatures
//   RegistryImageCLI the by-hand commands and argument parsing                            → Concourse, ResourceCore, ImageIO, Signatures
//   registry-image  the executable: argv[0] dispatch                                      → RegistryImageCLI
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

        .target(name: "OCIModel", dependencies: ["CCrypto"]),
        .target(name: "FastExtract", dependencies: ["OCIModel", "CArchive", "CCompression", "CLinux"]),
        .target(
            name: "RegistryClient",
            dependencies: ["OCIModel", "CCurl", "CCrypto", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Signatures",
            dependencies: ["RegistryClient", "OCIModel", "CCrypto", "CSodium"],
            // The public-good trusted root is compiled in (PublicGoodTrustedRootJSON.swift).
            exclude: ["PublicGood/trusted_root.json", "PublicGood/README.md"]),
        .target(
            name: "ImageIO",
            // libarchive and ISA-L directly only for the docker-archive tar
            // reader/writer and push's gzip compressor.
            dependencies: [
                "RegistryClient", "FastExtract", "CArchive", "CCompression",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "ResourceCore",
            dependencies: ["RegistryClient", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Concourse",
            dependencies: ["ResourceCore", "ImageIO", "Signatures", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "RegistryImageCLI",
            dependencies: [
                "Concourse", "ResourceCore", "ImageIO", "Signatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "registry-image", dependencies: ["RegistryImageCLI", "CLinux"]),

        // Starts real servers (docker-registry, token server, proxies) and
        // builds fixture images with tools other than this project's code.
        .target(name: "TestSupport", dependencies: ["FastExtract", "OCIModel"], path: "Tests/TestSupport"),
        .testTarget(name: "FastExtractTests", dependencies: ["FastExtract", "OCIModel", "CArchive", "CLinux", "TestSupport"]),
        .testTarget(name: "SignaturesTests", dependencies: ["Signatures", "OCIModel", "TestSupport"]),
        .testTarget(
            name: "RegistryImageTests",
            dependencies: [
                "Concourse", "ImageIO", "ResourceCore", "RegistryClient", "OCIModel", "FastExtract", "CCurl", "CCrypto",
                "RegistryImageCLI", "TestSupport",
            ]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Concourse", "ImageIO", "ResourceCore", "RegistryClient", "OCIModel", "FastExtract", "TestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
