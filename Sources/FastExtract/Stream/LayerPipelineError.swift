/// A layer pipeline used out of turn.
public enum LayerPipelineError: Error, Equatable, CustomStringConvertible {
    case abandoned
    case alreadyFinished
    /// The pipeline was finished (or given a new layer) before a layer's end.
    case unfinishedLayer

    public var description: String {
        switch self {
        case .abandoned: "layer extraction was abandoned before the blob ended"
        case .alreadyFinished: "layer extraction was used after it finished"
        case .unfinishedLayer: "a layer's blob ended before it was verified"
        }
    }
}
