import Foundation
import OCIModel

/// A destination's consumer that can take a blob by reading it itself, at
/// its own pace (an upload whose request body libcurl reads straight from
/// the file), instead of having the bytes pushed in. `source` yields the
/// blob's bytes, already verified on the way (`ObservedByteSource`); `pull`
/// does what `consume` of every byte and `finish()` would.
protocol BlobPuller: BlobConsumer {
    func pull(from source: ByteSource) throws
}
