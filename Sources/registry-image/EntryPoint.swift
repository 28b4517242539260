import CLinux
import FoundationEssentials
import RegistryImageCLI

/// Concourse runs `/opt/resource/check`, `/opt/resource/in DEST` and
/// `/opt/resource/out SRC`, all links to this binary: the name it was called
/// by picks the command. Run by any other name it is a CLI with subcommands.
@main
enum EntryPoint {
    static func main() {
        // Each layer allocates and frees its decoder and reader buffers (about
        // 1 MiB each); glibc would raise its mmap threshold after the first
        // free and keep later ones in a fragmenting heap (a 40-layer image
        // peaked at 60–65 MiB instead of 46).
        ri_fix_mmap_threshold(256 << 10)
        let arguments = CommandLine.arguments
        let invokedAs = URL(fileURLWithPath: arguments.first ?? "registry-image").lastPathComponent
        if ["check", "in", "out"].contains(invokedAs) {
            RegistryImageCommand.run([invokedAs] + arguments.dropFirst())
        } else {
            RegistryImageCommand.run(Array(arguments.dropFirst()))
        }
    }
}
