/// Routes and services that another package mounts on the app when it builds its own server
/// around it (bench/ mounts its baselines this way), so that the shipped binary carries none of
/// them. The app calls `mount` once, after its own routes and before it starts.
public protocol ApplicationExtension {
    func mount(_ mount: inout ApplicationMount) throws
}
