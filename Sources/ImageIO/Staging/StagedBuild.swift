/// One attempt of a directory result: the staging directory and the writer
/// building into it, created together by `begin` and dropped together.
final class StagedBuild<Writer> {
    let directory: StagedDirectory
    let writer: Writer

    init(at path: String, writer makeWriter: (StagedDirectory) throws -> Writer) throws {
        (directory, writer) = try StagingCleanup.shared.creating {
            let directory = try StagedDirectory(at: path)
            return (directory, try makeWriter(directory))
        }
    }
}
