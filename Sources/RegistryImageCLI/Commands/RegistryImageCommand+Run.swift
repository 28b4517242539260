import FoundationEssentials
import Glibc
import OCIModel

extension RegistryImageCommand {
    /// The exit status of a usage error (unknown flag, missing argument).
    public static let usageExitStatus: Int32 = 2

    /// As `ParsableCommand.main`, but a usage error exits 2 (as getopt tools
    /// and the README promise), not ArgumentParser's 64: 0 ok, 1 error, 2 usage.
    public static func run(_ arguments: [String]) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            exit()
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardStream.writeError(fullMessage(for: error) + "\n")
                Glibc.exit(usageExitStatus)
            }
            exit(withError: error)
        }
    }
}
