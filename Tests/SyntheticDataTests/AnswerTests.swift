import XCTest
@testable import SyntheticData

final class AnswerTests: XCTestCase {
    private let dataset = Plans.small

    /// The question's answer is what the object list says, and its response spells that answer
    /// (directly, or as the letter of the option that does).
    private func check(_ question: Question, scene: Scene, _ label: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Oracle.answer(question.query, in: scene), question.answer, "\(label): \(question.text)",
                       file: file, line: line)
        let expected = Oracle.optionText(question.answer, kind: question.kind, scene: scene, query: question.query)
        if let correct = question.correctChoice {
            XCTAssertEqual(question.choices[correct], expected, label, file: file, line: line)
            XCTAssertEqual(question.response, String(UnicodeScalar(UInt8(65 + correct))), label, file: file, line: line)
            XCTAssertEqual(Set(question.choices).count, question.choices.count, "\(label): repeated options")
            XCTAssert(question.choices.allSatisfy { question.prompt.contains($0) }, "\(label): options not shown")
        } else {
            XCTAssertEqual(question.response, expected, label, file: file, line: line)
        }
    }

    func testTrainingAnswersMatchTheScenes() {
        for record in dataset.training.records {
            check(record.question, scene: record.scene, record.id)
        }
        // Every kind is present, and yes and no are balanced (±10 %) among existence questions.
        XCTAssertEqual(Set(dataset.training.records.map(\.question.kind)), Set(QuestionKind.allCases))
        let existence = dataset.training.records.filter { $0.question.kind == .existence }
        let yes = existence.filter { $0.question.response == "Yes" }.count
        XCTAssertEqual(Double(yes) / Double(existence.count), 0.5, accuracy: 0.1)
    }

    func testCVBenchAnswersMatchTheScenes() {
        XCTAssertEqual(dataset.cvBench.items.count, 240)
        for item in dataset.cvBench.items {
            check(item.question, scene: item.scene, "CV-Bench \(item.index)")
            XCTAssertEqual(item.task, item.question.kind == .countChoice ? "Count" : "Relation")
        }
    }

    func testWhatsUpFirstCaptionIsTheOnlyTrueOne() {
        XCTAssertEqual(dataset.whatsUp.items.count, 240)
        for item in dataset.whatsUp.items {
            XCTAssertEqual(Oracle.answer(.relation(subject: item.subject, reference: item.reference), in: item.scene),
                           .relation(item.relation), item.stem)
            XCTAssertEqual(item.scene.objects.count, 2, item.stem)
            let query = Query.relation(subject: item.subject, reference: item.reference)
            XCTAssertEqual(item.captions[0], Oracle.optionText(.relation(item.relation), kind: .relationCaption,
                                                               scene: item.scene, query: query))
            XCTAssertEqual(Set(item.captions).count, 4, item.stem)
        }
        // Four images per object pair, one per relation, same background and objects' sizes.
        for set in Dictionary(grouping: dataset.whatsUp.items, by: { "\($0.subject)|\($0.reference)" }).values {
            XCTAssertEqual(Set(set.map(\.relation)), Set(SpatialRelation.allCases))
            XCTAssertEqual(Set(set.map(\.scene.background)).count, 1)
            XCTAssertEqual(Set(set.map { $0.scene.objects.map(\.size) }).count, 1)
        }
    }

    /// POPE: yes exactly when the category is in the image; in each split 3 yes and 3 no per
    /// image; popular negatives are the most frequent absent categories; adversarial ones share
    /// a colour or a kind with an object in the image.
    func testPOPELabelsAndNegatives() {
        let scenes = Dictionary(uniqueKeysWithValues: dataset.pope.scenes.map { ($0.name, $0.scene) })
        let frequency = Dictionary(dataset.pope.scenes.flatMap { Set($0.scene.objects.map(\.category)) }.map { ($0, 1) },
                                   uniquingKeysWith: +)
        for question in dataset.pope.questions {
            let scene = scenes[question.imageName]!
            XCTAssertEqual(Oracle.answer(.existence(question.category), in: scene), .yesNo(question.isPresent),
                           "\(question.split) \(question.questionID)")
            guard !question.isPresent else { continue }
            let present = Set(scene.objects.map(\.category))
            switch question.split {
            case .random:
                break
            case .popular:
                let moreFrequentAbsent = ObjectCategory.all.filter {
                    !present.contains($0) && frequency[$0, default: 0] > frequency[question.category, default: 0]
                }
                XCTAssertLessThan(moreFrequentAbsent.count, POPESplit.questionsPerAnswer,
                                  "popular \(question.questionID): \(question.category) is not among the most frequent")
            case .adversarial:
                XCTAssert(present.contains { $0.color == question.category.color || $0.kind == question.category.kind },
                          "adversarial \(question.questionID): \(question.category) shares nothing with \(present)")
            }
        }
        for split in NegativeSampling.allCases {
            let questions = dataset.pope.questions.filter { $0.split == split }
            XCTAssertEqual(questions.count, 6 * dataset.pope.scenes.count)
            for perImage in Dictionary(grouping: questions, by: \.imageName).values {
                XCTAssertEqual(perImage.filter(\.isPresent).count, 3)
                XCTAssertEqual(Set(perImage.map(\.category)).count, 6)
            }
        }
    }

    /// MMVP pairs differ in exactly one detail — one object's colour, one object's position, or
    /// one more object — and the answer to their shared question differs.
    func testMMVPPairsDifferInOneDetail() {
        XCTAssertEqual(dataset.mmvp.pairs.count, 120)
        for (index, pair) in dataset.mmvp.pairs.enumerated() {
            let label = "pair \(index) (\(pair.change))"
            let (a, b) = (pair.scenes[0], pair.scenes[1])
            XCTAssertEqual(a.background, b.background, label)
            for (scene, question) in zip(pair.scenes, pair.questions) {
                check(question, scene: scene, label)
            }
            XCTAssertNotEqual(pair.questions[0].answer, pair.questions[1].answer, label)
            XCTAssertNotEqual(pair.questions[0].response, pair.questions[1].response, label)
            XCTAssertEqual(pair.questions[0].prompt, pair.questions[1].prompt, label)
            switch pair.change {
            case .color, .position:
                XCTAssertEqual(a.objects.count, b.objects.count, label)
                let differing = zip(a.objects, b.objects).filter { $0 != $1 }
                XCTAssertEqual(differing.count, 1, label)
                guard let (before, after) = differing.first else { continue }
                var same = after
                if pair.change == .color {
                    same.color = before.color
                    XCTAssertNotEqual(before.color, after.color, label)
                } else {
                    same.centerX = before.centerX
                    same.centerY = before.centerY
                }
                XCTAssertEqual(same, before, "\(label): more than the \(pair.change) differs")
            case .count:
                let (fewer, more) = a.objects.count < b.objects.count ? (a, b) : (b, a)
                XCTAssertEqual(more.objects.count, fewer.objects.count + 1, label)
                XCTAssertEqual(Array(more.objects.prefix(fewer.objects.count)), fewer.objects, label)
            }
        }
        XCTAssertEqual(Set(dataset.mmvp.pairs.map(\.change)), Set(PairChange.allCases))
    }

    /// Adversarial negatives rank by shared attributes: with a red circle and a blue star present,
    /// "red star" and "blue circle" come first.
    func testAdversarialRanking() {
        var generator = SeededGenerator(seed: 1)
        let present: Set = [ObjectCategory(color: .red, kind: .circle), ObjectCategory(color: .blue, kind: .star)]
        let negatives = NegativeSampling.adversarial.negatives(
            count: 2, present: present, frequencyRanking: CategoryPrior.byFrequency, using: &generator)
        XCTAssertEqual(Set(negatives),
                       [ObjectCategory(color: .red, kind: .star), ObjectCategory(color: .blue, kind: .circle)])
    }
}
