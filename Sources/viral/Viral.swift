import ArgumentParser

/// The `viral` command-line tool.
@main
struct Viral: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "viral",
        abstract: "Train, run, evaluate and analyse LLaVA-style multimodal LLMs with VIRAL.",
        subcommands: [DemoCommand.self, DataCommand.self, TrainCommand.self, ExportCommand.self, GenerateCommand.self,
                      ChatCommand.self, EvalCommand.self, AnalyzeCommand.self, BenchCommand.self, ForwardCommand.self,
                      TokenizeCommand.self, PreprocessCommand.self, InspectCommand.self]
    )
}
