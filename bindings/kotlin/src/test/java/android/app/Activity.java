package android.app;

/** Stub of android.app.Activity (only the type). Not Android. */
public class Activity extends android.content.Context {
}
