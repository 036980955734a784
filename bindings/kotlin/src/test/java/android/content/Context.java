package android.content;

/** Stub of android.content.Context (only what the transport refers to). Not Android. */
public abstract class Context {
}
