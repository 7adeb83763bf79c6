import Models
import NN
import Tensor
import VIRAL
import XCTest

/// The pilot-study baselines (Eq. 3 and 4): features are added at the visual positions after
/// block ℓ and nowhere else.
final class ResidualInjectionTests: XCTestCase {
    func testProjectedFeaturesAreAddedAtVisualPositionsAfterTheChosenBlock() throws {
        let model = try TrainingFixtures.loadLlava()
        let batch = TrainingFixtures.batch(model)
        let input = try model.inputEmbeddings(inputIDs: batch.inputIDs, pixelValues: batch.pixelValues)
        var generator = RandomGenerator(seed: 1)
        let injection = ResidualInjection(source: .projectedFeatures, layer: 2, towerWidth: 48, hiddenSize: 64, generator: &generator)
        let hook = injection.layerHook(positions: input.imagePositions, projected: input.imageFeatures!, tower: input.towerFeatures!)
        let plain = model.languageModel.forward(embeddings: input.embeddings, returningHiddenStates: true).hiddenStates
        let injected = model.languageModel.forward(embeddings: input.embeddings, returningHiddenStates: true, layerHook: hook).hiddenStates
        XCTAssertEqual(plain[1].scalars, injected[1].scalars)
        let visual = Set(input.imagePositions[0])
        for t in 0..<24 {
            for c in 0..<64 {
                let index = t * 64 + c
                if visual.contains(t) {
                    let k = input.imagePositions[0].firstIndex(of: t)!
                    XCTAssertEqual(injected[2].data[index], plain[2].data[index] + input.imageFeatures!.data[k * 64 + c], accuracy: 1e-5)
                } else {
                    XCTAssertEqual(injected[2].data[index], plain[2].data[index])
                }
            }
        }
        XCTAssertNotEqual(plain[3].scalars, injected[3].scalars)
    }

    func testAdapterOfTowerFeaturesReceivesGradients() throws {
        let model = try TrainingFixtures.loadLlava()
        model.setTrainable(false)
        let batch = TrainingFixtures.batch(model)
        let input = try model.inputEmbeddings(inputIDs: batch.inputIDs, pixelValues: batch.pixelValues)
        var generator = RandomGenerator(seed: 2)
        let injection = ResidualInjection(source: .adaptedTowerFeatures, layer: 1, towerWidth: 48, hiddenSize: 64, generator: &generator)
        let hook = injection.layerHook(positions: input.imagePositions, projected: input.imageFeatures!, tower: input.towerFeatures!)
        let logits = model.languageModel.forward(embeddings: input.embeddings, layerHook: hook).logits
        DecoderLM.causalLanguageModelLoss(logits: logits, labels: batch.labels).backward()
        XCTAssertEqual(injection.parameters.count, 4)
        XCTAssertTrue(injection.parameters.allSatisfy { $0.grad != nil && $0.grad!.scalars.contains { $0 != 0 } })
    }
}
