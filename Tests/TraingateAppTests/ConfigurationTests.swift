import Foundation
import StrictDocuments
import Testing
@testable import TraingateApp
import TraingateTesting
import TestFixtures

@Suite struct ConfigurationTests {
    private func writeTemporary(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theShippedConfigFileLoadsAndMatchesTheDefaults() throws {
        let configuration = try AppConfiguration.load(
            file: Repository.root.appendingPathComponent("config/traingate.yaml").path, environment: [:])
        let defaults = AppConfiguration()
        #expect(configuration.port == defaults.port)
        #expect(configuration.host == defaults.host)
        #expect(configuration.dataDirectory == defaults.dataDirectory)
        #expect(configuration.maxImageBytes == 20 * 1024 * 1024)
        #expect(configuration.policyPath == nil)
        #expect(configuration.establishedIn == nil)
        #expect(configuration.checkpointIntervalMilliseconds == defaults.checkpointIntervalMilliseconds)
        #expect(configuration.groupCommitMaxBatch == defaults.groupCommitMaxBatch)
    }

    /// Each setting is declared once: the shipped config file is the text the table generates,
    /// and every setting's environment variable sets it, through the same checks as the file.
    @Test func theConfigFileAndTheEnvironmentComeFromTheSettingsTable() throws {
        let shipped = try String(contentsOf: Repository.root.appendingPathComponent("config/traingate.yaml"), encoding: .utf8)
        #expect(shipped == AppConfiguration.documentedYAML, "run: traingate config example > config/traingate.yaml")
        #expect(Set(AppConfiguration.settings.map(\.environment)).count == AppConfiguration.settings.count)
        // A host name and a directory are free text; every other setting refuses a bad value,
        // naming the variable it came from.
        let freeText: Set<String> = ["http.host", "data.dir"]
        for setting in AppConfiguration.settings where !setting.defaultText.isEmpty {
            #expect(throws: Never.self) { try AppConfiguration.load(file: nil, environment: [setting.environment: setting.defaultText]) }
            if freeText.contains(setting.key) { continue }
            #expect {
                try AppConfiguration.load(file: nil, environment: [setting.environment: "\u{1}bad"])
            } throws: { error in
                (error as? DocumentError)?.path == setting.environment
            }
        }
    }

    /// The operator's establishment: a list in the file, a comma-separated value in the
    /// environment, `none` for no regime; absent keeps the policy's own setting.
    @Test func theEstablishmentIsReadFromTheFileAndTheEnvironment() throws {
        let file = try writeTemporary("policy:\n  established_in: [EU, UK]\n")
        #expect(try AppConfiguration.load(file: file, environment: [:]).establishedIn == ["EU", "UK"])
        #expect(try AppConfiguration.load(file: nil, environment: ["TRAINGATE_ESTABLISHED_IN": "CH"]).establishedIn == ["CH"])
        #expect(try AppConfiguration.load(file: file, environment: ["TRAINGATE_ESTABLISHED_IN": "none"]).establishedIn == [])
        #expect(try AppConfiguration.load(file: nil, environment: [:]).establishedIn == nil)
    }

    /// A Kubernetes Secret volume or a systemd credential holds the master key as a file.
    @Test func theMasterKeyIsReadFromAFileOthersCannotRead() throws {
        let key = String(repeating: "5c", count: 32)
        let path = try writeTemporary(key + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o440], ofItemAtPath: path)
        #expect(try AppConfiguration.load(file: nil, environment: ["TRAINGATE_MASTER_KEY_FILE": path]).masterKeyHex == key)
        func refusal(_ environment: [String: String]) -> String? {
            do {
                _ = try AppConfiguration.load(file: nil, environment: environment)
                return nil
            } catch let error as DocumentError {
                return error.path + ": " + error.message
            } catch {
                return "\(error)"
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(refusal(["TRAINGATE_MASTER_KEY_FILE": path])?.contains("others may read it") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o460], ofItemAtPath: path)
        #expect(refusal(["TRAINGATE_MASTER_KEY_FILE": path])?.contains("group may write") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        // One source for the key: a file and a value together are refused, whichever comes first.
        #expect(
            refusal(["TRAINGATE_MASTER_KEY_FILE": path, "TRAINGATE_MASTER_KEY": String(repeating: "6d", count: 32)])?
                .contains("set one of them") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try "not a key".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(refusal(["TRAINGATE_MASTER_KEY_FILE": path])?.hasPrefix("TRAINGATE_MASTER_KEY_FILE: ") == true)
        #expect(refusal(["TRAINGATE_MASTER_KEY_FILE": path + ".missing"])?.contains("cannot read") == true)
        #expect(refusal(["TRAINGATE_MASTER_KEY_FILE": path + ".missing"])?.contains("No such file") == true)
    }

    @Test func theCheckpointIntervalIsBoundedAndSetByTheEnvironment() throws {
        let configuration = try AppConfiguration.load(file: nil, environment: ["TRAINGATE_CHECKPOINT_INTERVAL_MS": "250"])
        #expect(configuration.checkpointIntervalMilliseconds == 250)
        // Zero would checkpoint in a busy loop; an hour would let the log grow without bound.
        for bad in ["0", "3600000"] {
            #expect {
                try AppConfiguration.load(file: nil, environment: ["TRAINGATE_CHECKPOINT_INTERVAL_MS": bad])
            } throws: { error in
                (error as? DocumentError)?.path == "TRAINGATE_CHECKPOINT_INTERVAL_MS"
            }
        }
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() throws {
        let path = try writeTemporary("http:\n  port: 9000\n  host: 0.0.0.0\ndata:\n  dir: /tmp/from-file\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try AppConfiguration.load(
            file: path, environment: ["TRAINGATE_PORT": "9100", "TRAINGATE_DATA_DIR": "/tmp/from-env"],
            overrides: ["http.port": "9200"])
        #expect(configuration.port == 9200)
        #expect(configuration.dataDirectory == "/tmp/from-env")
        #expect(configuration.host == "0.0.0.0")
    }

    @Test func badValuesAndUnknownKeysNameWhereTheyAre() throws {
        let path = try writeTemporary("http:\n  port: 8080\nlimits:\n  max_image_bytez: 5\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try AppConfiguration.load(file: path, environment: [:])
        } throws: { error in
            (error as? DocumentError)?.path == "limits.max_image_bytez" && (error as? DocumentError)?.line == 4
        }
        #expect {
            try AppConfiguration.load(file: nil, environment: ["TRAINGATE_PORT": "eighty"])
        } throws: { error in
            (error as? DocumentError)?.path == "TRAINGATE_PORT"
        }
        #expect(throws: DocumentError.self) {
            try AppConfiguration.load(file: nil, environment: ["TRAINGATE_MASTER_KEY": "too-short"])
        }
    }

    @Test func aGeneratedKeyFileIsPrivateAndStable() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (first, _) = try TestApp.make {
            $0.masterKeyHex = nil; $0.dataDirectory = directory.path
        }
        let keyFile = directory.appendingPathComponent("keys/master.key").path
        let permissions = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let key = try String(contentsOfFile: keyFile, encoding: .utf8)
        try first.database.close()
        let (second, _) = try TestApp.make {
            $0.masterKeyHex = nil; $0.dataDirectory = directory.path
        }
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8) == key)
        try second.database.close()
    }

    @Test func aDamagedOrOpenKeyFileStopsStartInsteadOfBeingReplaced() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("keys/master.key")
        try FileManager.default.createDirectory(at: keyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: keyFile.path, contents: Data("0xnot-a-key\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: KeyFileError.self) {
            _ = try TestApp.make {
                $0.masterKeyHex = nil; $0.dataDirectory = directory.path
            }
        }
        #expect(try String(contentsOfFile: keyFile.path, encoding: .utf8) == "0xnot-a-key\n")

        try (String(repeating: "ab", count: 32) + "\n").write(to: keyFile, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        #expect(throws: KeyFileError.self) {
            _ = try TestApp.make {
                $0.masterKeyHex = nil; $0.dataDirectory = directory.path
            }
        }
    }
}
