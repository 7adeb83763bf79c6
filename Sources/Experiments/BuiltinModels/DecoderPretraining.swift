import Foundation
import Models
import SyntheticData
import Text
import Training

/// The built-in LLaVA's warm start, the miniature of the pretrained LLM LLaVA starts its
/// instruction tuning from: the decoder, from random weights, is trained through the projector
/// as drawn on a synthetic training split of its own (drawn from a seed derived from the models'
/// seed, so none of its scenes is one the demo trains or evaluates on), with the language loss
/// alone. From random weights the decoder learns the answers' text priors and the
/// scenes' colours first, and objects' kinds and places only slowly: in a 3000-step run of 16
/// conversations at learning rate 1e-3 (seed 0, 2026-12-06), synthetic CV-Bench counting scored
/// 17 / 30 / 25 / 35 % after 750 / 1500 / 2250 / 3000 steps and 17 / 26 / 22 / 26 % with every
/// question shown another question's image — far more steps than the demo's time allows for each
/// of its models, so both of them start from this warm start instead. (Before the training
/// conversations carried existence checks, the decoder after its 4000 steps read colours —
/// asked in words about the demo's training scenes, it named the colour of 10 of 15 objects —
/// but counted exactly only 7 of 25 times, and did not answer the benchmarks from the images:
/// synthetic CV-Bench counting 17 %, 30 % with swapped images, POPE F1 15.4 with "No" to 91 % of
/// questions; seed 0, 2026-12-06. With the checks, the colour drill that follows leaves chance
/// within 80 steps instead of about 300.) Hence the drills that follow (`ExistenceDrill`),
/// phases of the same training on other conversations about fresh scenes.
///
/// Only the decoder learns: the projector keeps its random initialisation (`freezesProjector`).
/// Trained with it, the projector turned towards what the language loss rewarded first — colours
/// — and buried kinds: over the object patches of held-out scenes, kind explained 20 % of the
/// tower's feature variance but 2.6 % of the decoder's input (colour: 16 % → 80 %), and the
/// warm-started LLaVA then drilled on "Is there a star in the image?" for 500 steps answered by
/// each kind's frequency alone. With the projector kept, kind explained 16 % of the decoder's input
/// and the same drill taught kinds (67–88 % accuracy per kind on held-out questions; 1500-step
/// warm starts, per-patch tower, seed 0, 2026-12-07).
enum DecoderPretraining {
    /// What a phase of the warm start trains on.
    enum Lesson {
        /// The suite's own training conversations: a benchmark-style question, two existence
        /// checks, then the scene's description.
        case suite
        /// The suite's conversations with existence drills added (`ExistenceDrill`),
        /// `questionsPerImage` to a conversation.
        case drill(ExistenceDrill.Subject, questionsPerImage: Int)

        /// The name progress lines give the phase.
        var name: String {
            switch self {
            case .suite: return "decoder (language)"
            case .drill(let subject, _): return "decoder (\(subject.rawValue) drill)"
            }
        }
    }

    /// Trains `llava`'s decoder in place on `settings.steps × settings.batchSize`
    /// fresh synthetic scenes with the conversations of `lesson`; the scenes are rendered into
    /// `scratch` (deleted after).
    static func run(llava: LlavaModel, tokenizer: BuiltinTokenizer, lesson: Lesson, settings: PretrainingSettings,
                    seed: UInt64, scratch: URL, report: (String) -> Void) throws -> PretrainingSummary {
        let start = Date()
        let manager = FileManager.default
        if manager.fileExists(atPath: scratch.path) { try manager.removeItem(at: scratch) }
        try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: scratch) }
        let synthesis = SynthesisOptions(imageSize: llava.config.vision.imageSize,
                                         trainingCount: settings.steps * settings.batchSize, evaluationCount: 1, seed: seed)
        let suite = try SyntheticDataset(options: synthesis)
        try suite.write(to: scratch, overwrite: true)
        if case .drill(let subject, let questionsPerImage) = lesson {
            try ExistenceDrill.annotations(for: suite.training, subject: subject, questionsPerImage: questionsPerImage, seed: seed)
                .write(to: scratch.appendingPathComponent("train.json"))
        }
        try tokenizer.write(to: scratch)
        let dataset = try SyntheticTrainingData.dataset(
            folder: scratch, tokenizer: try Tokenizer(contentsOf: scratch.appendingPathComponent("tokenizer.json")),
            config: llava.config)

        let trainer = try Trainer(model: llava, settings: TrainingSettings(
            stage: 2, freezesProjector: true, steps: settings.steps, batchSize: settings.batchSize,
            learningRate: settings.learningRate, weightDecay: settings.weightDecay, warmupRatio: settings.warmupRatio,
            maxGradientNorm: settings.maxGradientNorm, seed: seed, lora: nil))
        var loader = try DataLoader(dataset: dataset, batchSize: settings.batchSize, seed: seed)
        var losses: [Float] = []
        while trainer.step < settings.steps {
            guard let step = try trainer.train(on: TrainingBatch(try loader.nextBatch())) else { continue }
            losses.append(step.languageLoss)
            if step.step % max(1, settings.steps / 20) == 0 {
                report(lesson.name + String(format: " step %d/%d  loss %.4f", step.step, settings.steps, step.languageLoss))
            }
        }
        llava.setTrainable(false)
        return PretrainingSummary(settings: settings, losses: losses, seconds: Date().timeIntervalSince(start))
    }
}
