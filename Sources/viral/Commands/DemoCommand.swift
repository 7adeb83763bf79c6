import ArgumentParser
import Dispatch
import Experiments
import Foundation

/// `viral demo …`: the miniature VIRAL experiment on synthetic scenes.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the VIRAL experiment in miniature on synthetic scenes.",
        subcommands: [Run.self, PrepareModels.self],
        defaultSubcommand: Run.self
    )

    struct PrepareModels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare-models",
            abstract: "Make the demo's built-in models: tokenizer, vision tower, teacher and LLaVA.",
            discussion: """
                Learns a Llama-style tokenizer from the synthetic corpus, pretrains a CLIP-family \
                tower to name what covers each patch and a DINOv2-family teacher to name it and say \
                where its object's centre lies, on rendered scenes, assembles a llava-hf model from \
                the tower, a projector and a Llama decoder, warm-starts the decoder on synthetic \
                conversations of its own and then drills it on yes/no questions about colours and categories \
                (about an hour on two cores; the repository ships the result in \
                builtin-models/, which `make demo` uses). Writes DIR/tower, DIR/teacher and DIR/llava \
                (Hugging Face folders that `viral` and transformers load) and DIR/builtin-models.json, \
                and reports how well linear probes read each patch's content, and the offset to \
                its object's centre, from each tower's patch features. The same seed writes the same files.
                """)

        @Option(help: "Output folder (created; its tower, teacher and llava folders are replaced).")
        var output: String

        @Option(help: "Seed of every random choice.")
        var seed: UInt64 = 0

        @Option(help: "Pretraining steps of the vision tower (default: the demo's).")
        var towerSteps: Int?

        @Option(help: "Patches per side of the cells the tower's pretraining names the content of (default: the demo's, 1; 2: name what covers each 2 × 2-patch cell).")
        var towerCellSide: Int?

        @Option(help: "Pretraining steps of the teacher (default: the demo's).")
        var teacherSteps: Int?

        @Option(help: "Warm-start steps of the LLaVA's decoder (0: leave it random; default: the demo's).")
        var decoderSteps: Int?

        @Option(help: "Steps of each grounding drill after the warm start (0: no drills; default: the demo's).")
        var drillSteps: Int?

        @Option(help: "Scenes in each of the probe's fitting and scoring sets (0: no probe).")
        var probeScenes: Int = BuiltinModelOptions().probeSceneCount

        @OptionGroup var threadOptions: ThreadOptions

        mutating func run() throws {
            threadOptions.apply()
            keepFreedMemory()
            let start = DispatchTime.now()
            var options = BuiltinModelOptions(seed: seed, probeSceneCount: probeScenes)
            if let towerSteps { options.towerTraining.steps = towerSteps }
            if let towerCellSide { options.towerCellSide = towerCellSide }
            if let teacherSteps { options.teacherTraining.steps = teacherSteps }
            if let decoderSteps { options.decoderTraining.steps = decoderSteps }
            if let drillSteps {
                for index in options.drills.indices { options.drills[index].settings.steps = drillSteps }
            }
            let models = try BuiltinModels(options: options) { print($0) }
            let trained = DispatchTime.now()
            var probe: SpatialProbeReport?
            if probeScenes > 0 {
                probe = try models.probe()
            }
            let folder = URL(fileURLWithPath: output)
            try models.write(to: folder, probe: probe)
            print("wrote \(folder.path): \(BuiltinModels.towerFolder)/, \(BuiltinModels.teacherFolder)/, "
                + "\(BuiltinModels.llavaFolder)/, \(BuiltinModels.manifestFile) (seed \(seed))")
            print(String(format: "  tower pretraining %.1f s (loss %.4f → %.4f), teacher pretraining %.1f s (loss %.4f → %.4f)",
                         models.towerPretraining.seconds, models.towerPretraining.firstLoss, models.towerPretraining.lastLoss,
                         models.teacherPretraining.seconds, models.teacherPretraining.firstLoss,
                         models.teacherPretraining.lastLoss))
            if let decoder = models.decoderPretraining {
                print(String(format: "  decoder warm start %.1f s (loss %.4f → %.4f)", decoder.seconds, decoder.firstLoss, decoder.lastLoss))
            }
            for (phase, summary) in models.drillPretraining {
                print("  \(phase.subject.rawValue) drill " + String(format: "%.1f s (loss %.4f → %.4f)",
                                                                     summary.seconds, summary.firstLoss, summary.lastLoss))
            }
            if let probe {
                print("  patch probe (\(probe.sceneCount) + \(probe.sceneCount) held-out scenes): category accuracy on object / background"
                    + " patches, and error of the object patches' offsets to their object's centre (patch sides):")
                for (name, accuracy) in [("teacher", probe.teacher), ("tower", probe.tower), ("untrained tower", probe.untrainedTower)] {
                    let label = name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    print("    " + label + String(format: "%5.1f %% / %5.1f %%   offset error %.3f (guessing the mean: %.3f)",
                                                  100 * accuracy.objectPatches, 100 * accuracy.backgroundPatches,
                                                  accuracy.offsetError, accuracy.offsetBaseline))
                }
            }
            print(String(format: "  total %.1f s (training %.1f s)", seconds(from: start, to: DispatchTime.now()),
                         seconds(from: start, to: trained)))
        }

        private func seconds(from start: DispatchTime, to end: DispatchTime) -> Double {
            Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }
    }
}
