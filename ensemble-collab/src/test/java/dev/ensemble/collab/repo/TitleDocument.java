package dev.ensemble.collab.repo;

import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;

/** A document with a title, shared through an automerge-repo server in the tests. */
public final class TitleDocument extends CollaborationActor<TitleView> implements TitleActions {
    TitleDocument(CollaborationSettings<TitleView> settings) {
        super(settings);
    }

    @Override
    public void retitle(String title) {
        change(tx -> tx.put(DocPath.of("title"), title));
    }
}
