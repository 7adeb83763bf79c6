import Evaluation
import XCTest

final class MetricsOutputTests: XCTestCase {
    private let metrics = Metrics(
        benchmark: "mmvp", primary: "pair_accuracy",
        values: ["pair_accuracy": 62.5, "accuracy": 87.5], counts: ["questions": 8, "pairs": 4])

    func testJSONHasSortedKeysAndRoundTrips() throws {
        XCTAssertEqual(String(decoding: try metrics.jsonData(), as: UTF8.self), """
            {
              "benchmark" : "mmvp",
              "counts" : {
                "pairs" : 4,
                "questions" : 8
              },
              "primary" : "pair_accuracy",
              "values" : {
                "accuracy" : 87.5,
                "pair_accuracy" : 62.5
              }
            }
            """)
        XCTAssertEqual(try JSONDecoder().decode(Metrics.self, from: try metrics.jsonData()), metrics)
    }

    func testTable() {
        XCTAssertEqual(metrics.table, """
            mmvp: pair_accuracy = 62.50
            metric         value
            accuracy       87.50
            pair_accuracy  62.50
            count          n
            pairs          4
            questions      8
            """)
    }
}
