package dev.ensemble.collab.view;

/**
 * An edit or a patch does not fit the view's tree (a path that leads elsewhere, an index out of
 * range, an action the view does not know). Never reaches users: the view is read again from the
 * document instead, so a mismatch costs one full decode, not a wrong view.
 */
final class ViewMismatchException extends RuntimeException {
    ViewMismatchException(String message) {
        super(message, null, false, false);
    }
}
