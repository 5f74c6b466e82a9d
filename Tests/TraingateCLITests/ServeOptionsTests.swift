import ArgumentParser
import Foundation
import Testing
import TraingateApp

@testable import TraingateCommands

/// How `traingate serve` reads its flags: each flag beats the environment, which beats the
/// config file, and a bad flag or value is refused before anything opens.
@Suite struct ServeOptionsTests {
    private func writeConfig(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-config-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheConfigFile() throws {
        let file = try writeConfig("http:\n  host: 10.0.0.1\n  port: 7000\ndata:\n  dir: /srv/from-file\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let options = try ServeOptions.parse(["--config", file, "--port", "9090", "--established-in", "EU,UK"])
        let configuration = try options.configuration(environment: ["TRAINGATE_PORT": "8000", "TRAINGATE_DATA_DIR": "/srv/from-env"])
        #expect(configuration.port == 9090)  // flag
        #expect(configuration.dataDirectory == "/srv/from-env")  // environment over file
        #expect(configuration.host == "10.0.0.1")  // file
        #expect(configuration.establishedIn == ["EU", "UK"])
    }

    @Test func unsetFlagsLeaveTheDefaults() throws {
        let configuration = try ServeOptions.parse([]).configuration(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.dataDirectory == "./data")
        #expect(configuration.policyPath == nil)
    }

    @Test func aBadFlagIsAUsageError() throws {
        for arguments in [["serve", "--port", "eighty"], ["serve", "--colour", "red"], ["serve", "--port"]] {
            #expect(throws: (any Error).self, "\(arguments)") { try TraingateCommand.parseAsRoot(arguments) }
            do {
                _ = try TraingateCommand.parseAsRoot(arguments)
            } catch {
                #expect(TraingateCommand.exitCode(for: error) == .validationFailure, "\(arguments)")
            }
        }
    }

    @Test func aBadValueNamesTheSettingAndWhereItCameFrom() throws {
        let file = try writeConfig("http:\n  port: 99999\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let fromFile = #expect(throws: ValidationError.self) { try ServeOptions.parse(["--config", file]).configuration(environment: [:]) }
        #expect(fromFile?.message.contains("http.port") == true, "\(String(describing: fromFile))")
        #expect(fromFile?.message.contains("0...65535") == true)

        let fromFlag = #expect(throws: ValidationError.self) { try ServeOptions.parse(["--port", "70000"]).configuration(environment: [:]) }
        #expect(fromFlag?.message.contains("http.port") == true, "\(String(describing: fromFlag))")

        let fromEnvironment = #expect(throws: ValidationError.self) {
            try ServeOptions.parse([]).configuration(environment: ["TRAINGATE_PORT": "-1"])
        }
        #expect(fromEnvironment?.message.contains("TRAINGATE_PORT") == true, "\(String(describing: fromEnvironment))")
    }

    @Test func aMissingConfigFileIsNamed() throws {
        let error = #expect(throws: ValidationError.self) {
            try ServeOptions.parse(["--config", "/nonexistent/traingate.yaml"]).configuration(environment: [:])
        }
        #expect(error?.message.contains("/nonexistent/traingate.yaml") == true, "\(String(describing: error))")
    }
}
