import TraingatePostgres

/// Whether this instance may run training jobs now: on SQLite always (one instance owns the
/// data directory); on PostgreSQL only while it holds the database's training lead
/// (`PostgresLeadership`), so that exactly one of several instances trains.
protocol TrainingLead: Sendable {
    var isLeader: Bool { get }
}

/// The lead of the only instance there is.
struct SoleInstanceLead: TrainingLead {
    var isLeader: Bool { true }
}

extension PostgresLeadership: TrainingLead {}
