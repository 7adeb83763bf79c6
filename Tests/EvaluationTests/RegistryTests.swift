import Evaluation
import XCTest

final class RegistryTests: XCTestCase {
    func testNamesAreMatchedIgnoringCaseAndPunctuation() throws {
        XCTAssertEqual(try Benchmarks.named("pope").name, "pope")
        XCTAssertEqual(try Benchmarks.named("CV-Bench-2D").name, "cvbench2d")
        XCTAssertEqual(try Benchmarks.named("What's Up").name, "whatsup")
        XCTAssertEqual(try Benchmarks.named("MMStar").name, "mmstar")
        XCTAssertEqual(Benchmarks.names, ["cvbench2d", "mmvp", "whatsup", "pope", "mme", "mmstar"])
    }

    func testUnknownNameListsTheKnownOnes() {
        let error = evaluationError(try Benchmarks.named("gqa"))
        XCTAssertEqual(error?.description,
                       "unknown benchmark 'gqa'; known benchmarks: cvbench2d, mmvp, whatsup, pope, mme, mmstar")
    }
}
