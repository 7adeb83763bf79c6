import Foundation

/// One What's Up image: two objects in one relation, with four captions, the correct one first.
public struct WhatsUpItem: Hashable, Sendable {
    /// "<subject>_<relation>_<reference>", e.g. "red-circle_left_of_blue-square".
    public var stem: String
    public var subject: ObjectCategory
    public var reference: ObjectCategory
    public var relation: SpatialRelation
    public var captions: [String]
    public var scene: Scene
}

/// What's Up in the layout of its Controlled-A subset (`controlled_images_dataset.json` +
/// `controlled_images/`): for each object pair four images — subject left of, right of, above and
/// below the reference (on/under become above/below in 2D) — with the same objects and background.
public struct WhatsUpSplit: Sendable {
    /// Distinct unordered pairs of categories; each set needs its own (the loader keys sets by them).
    public static let maximumSets = ObjectCategory.all.count * (ObjectCategory.all.count - 1) / 2

    /// The items, four per object pair, in `SpatialRelation` order.
    public let items: [WhatsUpItem]

    init(setCount: Int, side: Int, seed: UInt64) throws {
        let all = ObjectCategory.all
        let unorderedPairs = all.indices.flatMap { i in (i + 1..<all.count).map { (all[i], all[$0]) } }
        var pairGenerator = SeededGenerator(seed: seed, stream: "whatsup-pairs", index: 0)
        let chosen = pairGenerator.shuffled(unorderedPairs).prefix(setCount)
        var items: [WhatsUpItem] = []
        for (index, pair) in chosen.enumerated() {
            var generator = SeededGenerator(seed: seed, stream: "whatsup", index: index)
            let (subject, reference) = generator.chance(0.5) ? pair : (pair.1, pair.0)
            let subjectSize = generator.element(of: SizeClass.allCases)
            let referenceSize = generator.element(of: SizeClass.allCases)
            let background = Background.random(using: &generator)
            for relation in SpatialRelation.allCases {
                let stem = "\(subject.fileName)_\(relation.fileNamePart)_\(reference.fileName)"
                let scene = try RelationQuestions.captionScene(
                    subject: subject, subjectSize: subjectSize, reference: reference, referenceSize: referenceSize,
                    relation: relation, background: background, side: side, sample: "What's Up image \(stem)",
                    using: &generator)
                items.append(WhatsUpItem(stem: stem, subject: subject, reference: reference, relation: relation,
                                         captions: RelationQuestions.captions(subject, reference, correct: relation),
                                         scene: scene))
            }
        }
        self.items = items
    }
}

extension WhatsUpSplit: WritableSplit {
    var folder: String { "whatsup" }

    var images: [(path: String, scene: Scene)] {
        items.map { ("controlled_images/\($0.stem).png", $0.scene) }
    }

    /// `controlled_images_dataset.json`: `[{image_path, caption_options}]`, paths as published.
    func annotationFiles() throws -> [(path: String, contents: Data)] {
        let records: [[String: Any]] = items.map {
            ["image_path": "data/controlled_images/\($0.stem).png", "caption_options": $0.captions]
        }
        return [("controlled_images_dataset.json", try DataFileFormat.json(records))]
    }
}
