import Models
import Tensor
import Training
import Vision

/// One forward pass of a LLaVA model on a fixed question about an image, and where its visual
/// tokens are: the analyses' common first step.
public struct VisualProbe {
    /// The model.
    public let chat: ChatModel
    /// The question asked about every image (the image goes before it, as in LLaVA's evaluation).
    public var question: String

    /// The question the analyses ask by default.
    public static let defaultQuestion = "Describe the image."

    /// A probe of `chat` asking `question`.
    public init(chat: ChatModel, question: String = defaultQuestion) {
        self.chat = chat
        self.question = question
    }

    /// What one pass gives.
    public struct Pass {
        /// The decoder's hidden states (transformers' convention: 0 = input, L = after the final
        /// norm), [1, T, D] each; empty unless asked for.
        public var hiddenStates: [Tensor]
        /// Attention weights per layer, [1, heads, T, T]; empty unless asked for.
        public var attentionWeights: [Tensor]
        /// The tower's features of the grid tokens [h·w, Dz] (class token dropped).
        public var towerFeatures: Tensor
        /// Sequence positions of the grid tokens, row-major over the h×w grid.
        public var gridPositions: [Int]
        /// Sequence positions after the image (the question and the reply header).
        public var textPositionsAfterImage: [Int]
        /// Tokens in the sequence.
        public var sequenceLength: Int

        /// A pass's values.
        public init(hiddenStates: [Tensor], attentionWeights: [Tensor], towerFeatures: Tensor, gridPositions: [Int],
                    textPositionsAfterImage: [Int], sequenceLength: Int) {
            self.hiddenStates = hiddenStates
            self.attentionWeights = attentionWeights
            self.towerFeatures = towerFeatures
            self.gridPositions = gridPositions
            self.textPositionsAfterImage = textPositionsAfterImage
            self.sequenceLength = sequenceLength
        }
    }

    /// Runs the model on the question about `image`.
    public func run(_ image: RGBImage, hiddenStates: Bool = false, attentionWeights: Bool = false) throws -> Pass {
        let ids = chat.promptIDs(for: Conversation.prompt(question: question, hasImage: true))
        let output = try noGrad {
            try chat.model.forward(inputIDs: [ids], pixelValues: chat.pixelValues(for: image),
                                   returningHiddenStates: hiddenStates, returningAttentionWeights: attentionWeights)
        }
        let imagePositions = output.imagePositions[0]
        let offset = chat.gridOffset
        let gridPositions = Array(imagePositions.dropFirst(offset))
        let tower = output.towerFeatures!
        let towerGrid = tower.slice(axis: 1, offset..<tower.shape[1]).reshaped([gridPositions.count, tower.shape[2]])
        let afterImage = Array((imagePositions.last! + 1)..<ids.count)
        return Pass(hiddenStates: output.hiddenStates, attentionWeights: output.attentionWeights, towerFeatures: towerGrid,
                    gridPositions: gridPositions, textPositionsAfterImage: afterImage, sequenceLength: ids.count)
    }

    /// The rows of `state` ([1, T, D]) at `positions`, as floats row after row.
    public static func rows(of state: Tensor, at positions: [Int]) -> [Float] {
        let width = state.shape[2]
        var values = [Float](repeating: 0, count: positions.count * width)
        values.withUnsafeMutableBufferPointer { buffer in
            for (row, position) in positions.enumerated() {
                (buffer.baseAddress! + row * width).update(from: state.data + position * width, count: width)
            }
        }
        return values
    }
}
