import OCIModel

/// An image's layers applied in order to one rootfs: a `RootfsWriter` fed by
/// one `LayerPipeline` whose extraction thread runs `LayerApplier`. The one
/// wiring of the three, for the rootfs destination, the fuzzer and the tests.
///
/// Per layer the caller puts `layer()` behind a `DigestVerifier` and feeds it
/// completely; then `finish()` once, or `cancel(_:)`
/// to give up (which joins the extraction thread).
public final class RootfsExtraction {
    private let writer: RootfsWriter
    private let pipeline: LayerPipeline

    /// - Parameter nameFailure: turns an extraction error of layer `index`
    ///   (counted from 0) into the error to report; it runs on the extraction
    ///   thread, possibly while the caller already feeds a later layer.
    public init(
        writer: RootfsWriter, readAhead: LayerPipeline.ReadAhead = .standard,
        nameFailure: @escaping @Sendable (_ index: Int, _ error: any Error) -> any Error = { $1 }
    ) {
        self.writer = writer
        // The caller's thread does not touch the writer while the pipeline
        // runs, and uses it again only after `finish` joined the extraction thread.
        let shared = SendableBox(writer)
        pipeline = LayerPipeline(readAhead: readAhead) { index, stream in
            do {
                try LayerApplier.apply(from: stream, to: shared.value)
            } catch {
                throw nameFailure(index, error)
            }
        }
    }

    /// The consumer for the next layer's blob (see `LayerPipeline.layer()`).
    public func layer() throws -> PipelinedLayer { try pipeline.layer() }

    /// After the last layer's end: waits until every layer is applied, throws
    /// the first failure, then finishes the writer (directory times, pool).
    public func finish() throws {
        try pipeline.finish()
        try writer.finish()
    }

    /// Abandons the image: joins the extraction thread and returns the first failure.
    @discardableResult
    public func cancel(_ error: any Error) -> any Error { pipeline.cancel(error) }
}
