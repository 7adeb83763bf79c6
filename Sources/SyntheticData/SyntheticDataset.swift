/// The whole synthetic suite, planned: every scene and question of the training split and of the
/// four evaluation splits. Planning is cheap; `write(to:overwrite:)` renders and writes.
///
/// Every sample draws from its own generator, seeded by the options' seed, a stream label
/// ("train", "pope", "cvbench", "mmvp", "whatsup") and its index, so the evaluation images never
/// come from the training stream and a sample does not depend on how many others are generated.
public struct SyntheticDataset: Sendable {
    /// The generator's name, written in the manifest and in CV-Bench's `source_dataset`.
    public static let generatorName = "viral synthetic scenes"
    /// Bumped whenever the same options would produce different files.
    public static let generatorVersion = 4

    public let options: SynthesisOptions
    public let training: TrainingSplit
    public let pope: POPESplit
    public let cvBench: CVBenchSplit
    public let mmvp: MMVPSplit
    public let whatsUp: WhatsUpSplit

    /// Plans the suite; throws `SyntheticDataError.invalidOption` for unsupported options.
    public init(options: SynthesisOptions) throws {
        try options.validate()
        self.options = options
        let side = options.imageSize, seed = options.seed
        training = try TrainingSplit(count: options.trainingCount, side: side, seed: seed)
        pope = try POPESplit(imageCount: options.popeImageCount, side: side, seed: seed)
        cvBench = try CVBenchSplit(count: options.evaluationCount, side: side, seed: seed)
        mmvp = try MMVPSplit(pairCount: options.mmvpPairCount, side: side, seed: seed)
        whatsUp = try WhatsUpSplit(setCount: options.whatsUpSetCount, side: side, seed: seed)
    }

    /// The evaluation splits with the name of the `Evaluation` benchmark that reads each and the
    /// number of items it should load.
    var evaluationSplits: [(benchmark: String, split: any WritableSplit, itemCount: Int)] {
        [
            ("pope", pope, pope.questions.count),
            ("cvbench2d", cvBench, cvBench.items.count),
            ("mmvp", mmvp, 2 * mmvp.pairs.count),
            ("whatsup", whatsUp, whatsUp.items.count),
        ]
    }

    /// Every split, training first.
    var allSplits: [any WritableSplit] {
        [training] + evaluationSplits.map(\.split)
    }

    /// The manifest: generator, seed, options and counts per split and question kind.
    var manifest: [String: Any] {
        let changes = Dictionary(grouping: mmvp.pairs, by: { $0.change.rawValue }).mapValues { $0.count }
        let tasks = Dictionary(grouping: cvBench.items, by: \.task).mapValues { $0.count }
        let splits = Dictionary(grouping: pope.questions, by: { $0.split.rawValue }).mapValues { $0.count }
        return [
            "generator": SyntheticDataset.generatorName,
            "version": SyntheticDataset.generatorVersion,
            "seed": options.seed,
            "image_size": options.imageSize,
            "train": [
                "file": "train.json", "image_folder": ".", "records": training.records.count,
                "images": training.records.count, "kinds": training.kindCounts,
            ],
            "eval": [
                "pope": ["folder": pope.folder, "benchmark": "pope", "questions": pope.questions.count,
                         "images": pope.scenes.count, "splits": splits],
                "cvbench": ["folder": cvBench.folder, "benchmark": "cvbench2d", "questions": cvBench.items.count,
                            "images": cvBench.items.count, "tasks": tasks, "source": CVBenchSplit.source],
                "mmvp": ["folder": mmvp.folder, "benchmark": "mmvp", "questions": 2 * mmvp.pairs.count,
                         "images": 2 * mmvp.pairs.count, "pairs": mmvp.pairs.count, "changes": changes],
                "whatsup": ["folder": whatsUp.folder, "benchmark": "whatsup", "questions": whatsUp.items.count,
                            "images": whatsUp.items.count, "sets": whatsUp.items.count / 4, "subset": "controlled_a"],
            ] as [String: Any],
        ]
    }
}
