import Testing
@testable import TraingatePostgres

/// `storage.url` for PostgreSQL: what it names, and a clear refusal of what it cannot.
@Suite struct PostgresLocationTests {
    @Test func aFullURLNamesEveryPart() throws {
        let location = try PostgresLocation(url: "postgresql://gate:s%40cret@db.internal:6543/traingate?sslmode=verify-full", environment: [:])
        #expect(location.host == "db.internal" && location.port == 6543 && location.username == "gate")
        #expect(location.password == "s@cret" && location.database == "traingate" && location.sslMode == .verifyFull)
        // Never the password in what is logged.
        #expect("\(location)" == "postgres://gate@db.internal:6543/traingate?sslmode=verify-full")
    }

    @Test func thePasswordMayComeFromTheEnvironmentAndTheRestHasDefaults() throws {
        let location = try PostgresLocation(url: "postgres://gate@localhost/traingate", environment: ["PGPASSWORD": "from-env"])
        #expect(location.password == "from-env" && location.port == 5432 && location.sslMode == .prefer)
    }

    @Test(arguments: [
        ("mysql://gate@host/db", "must start with postgres://"),
        ("postgres://host/db", "names no user"),
        ("postgres://gate@host", "names no database"),
        ("postgres://gate@host:0/db", "port must be 1-65535"),
        ("postgres://gate@host/db?sslmode=maybe", "sslmode must be one of disable, prefer, require, verify-full"),
        ("postgres://gate@host/db?pool=3", "parameter pool is not known"),
    ])
    func aURLThatCannotWorkIsRefusedSayingWhy(url: String, reason: String) {
        #expect { try PostgresLocation(url: url, environment: [:]) } throws: { error in
            "\(error)".contains("storage.url") && "\(error)".contains(reason)
        }
    }
}
