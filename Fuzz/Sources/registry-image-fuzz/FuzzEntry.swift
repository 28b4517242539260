import Foundation

/// libFuzzer's entry point. One binary holds every target (one link of the
/// sanitized package instead of seven); `RI_FUZZ_TARGET` picks the one a run
/// feeds. A crash is a trap (Swift runtime check, sanitizer report); a target
/// that finds a broken invariant traps too, so libFuzzer keeps the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

/// The targets `RI_FUZZ_TARGET` can name.
enum FuzzTarget: String, CaseIterable {
    case layer, manifest, config, request, reference, semver, archive

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["RI_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("error: set RI_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .layer: LayerTarget.shared.run(bytes)
        case .manifest: DecoderTargets.manifest(bytes)
        case .config: DecoderTargets.config(bytes)
        case .request: DecoderTargets.request(bytes)
        case .reference: DecoderTargets.reference(bytes)
        case .semver: DecoderTargets.semver(bytes)
        case .archive: ArchiveTarget.shared.run(bytes)
        }
    }
}

/// Stops the run on a broken invariant: libFuzzer records the input as a crash.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data("invariant broken: \(message())\n".utf8))
        abort()
    }
}
