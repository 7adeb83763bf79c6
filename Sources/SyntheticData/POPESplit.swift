import Foundation

/// One POPE question: is a category in an image?
public struct POPEQuestion: Hashable, Sendable {
    public var split: NegativeSampling
    /// 1-based, restarting in every split as in the published files.
    public var questionID: Int
    /// The image file name inside `val2014/`.
    public var imageName: String
    public var category: ObjectCategory
    /// The answer key: whether the category is in the image.
    public var isPresent: Bool
}

/// POPE in its three negative-sampling splits over the same images.
///
/// Each image holds 3–6 objects of at least 3 categories; each split asks about 3 present
/// categories (the same in every split) and 3 absent ones chosen by the split's strategy, yes and
/// no alternating. "Popular" ranks categories by the number of images of this split that contain
/// them, as POPE does with COCO's annotations.
public struct POPESplit: Sendable {
    /// Present and absent categories asked about per image and split.
    static let questionsPerAnswer = 3

    /// The images' file names and scenes.
    public let scenes: [(name: String, scene: Scene)]
    /// The questions of all three splits, split by split.
    public let questions: [POPEQuestion]

    init(imageCount: Int, side: Int, seed: UInt64) throws {
        var scenes: [(name: String, scene: Scene)] = []
        var positives: [[ObjectCategory]] = []
        for index in 0..<imageCount {
            var generator = SeededGenerator(seed: seed, stream: "pope", index: index)
            let extra = generator.integer(in: 0...3)
            let scene = try SceneLayout.compose(side: side, sample: "POPE image \(index + 1)", using: &generator) {
                layout, generator -> Scene? in
                let sizes = SizeClass.choices(forObjectCount: POPESplit.questionsPerAnswer + extra)
                for _ in 0..<POPESplit.questionsPerAnswer {
                    let present = Set(layout.objects.map(\.category))
                    guard layout.addFillers(1, sizes: sizes, using: &generator, where: { !present.contains($0) })
                    else { return nil }
                }
                return layout.addFillers(extra, sizes: sizes, using: &generator, where: { _ in true }) ? layout.scene : nil
            }
            scenes.append((String(format: "synth_pope_%06d.png", index + 1), scene))
            positives.append(Array(generator.shuffled(scene.categories).prefix(POPESplit.questionsPerAnswer)))
        }
        let frequency = Dictionary(scenes.flatMap(\.scene.categories).map { ($0, 1) }, uniquingKeysWith: +)
        let ranking = ObjectCategory.all.sorted {
            (frequency[$0, default: 0], $1.ordinal) > (frequency[$1, default: 0], $0.ordinal)
        }
        var questions: [POPEQuestion] = []
        for split in NegativeSampling.allCases {
            var nextID = 1
            for (index, image) in scenes.enumerated() {
                var generator = SeededGenerator(seed: seed, stream: "pope-\(split.rawValue)", index: index)
                let negatives = split.negatives(count: POPESplit.questionsPerAnswer, present: Set(image.scene.categories),
                                                frequencyRanking: ranking, using: &generator)
                for (positive, negative) in zip(positives[index], negatives) {
                    for (category, isPresent) in [(positive, true), (negative, false)] {
                        questions.append(POPEQuestion(split: split, questionID: nextID, imageName: image.name,
                                                      category: category, isPresent: isPresent))
                        nextID += 1
                    }
                }
            }
        }
        self.scenes = scenes
        self.questions = questions
    }
}

extension POPESplit: WritableSplit {
    var folder: String { "pope" }

    var images: [(path: String, scene: Scene)] {
        scenes.map { ("val2014/\($0.name)", $0.scene) }
    }

    /// `coco_pope_<split>.json`, JSON Lines of `{question_id, image, text, label}` as RUCAIBox/POPE.
    func annotationFiles() throws -> [(path: String, contents: Data)] {
        try NegativeSampling.allCases.map { split in
            let records: [[String: Any]] = questions.filter { $0.split == split }.map { question in
                ["question_id": question.questionID, "image": question.imageName,
                 "text": ExistenceQuestions.popeQuestion(question.category.nameWithArticle),
                 "label": question.isPresent ? "yes" : "no"]
            }
            return ("coco_pope_\(split.rawValue).json", try DataFileFormat.jsonLines(records))
        }
    }
}
