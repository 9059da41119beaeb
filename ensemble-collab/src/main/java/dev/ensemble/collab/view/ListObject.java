package dev.ensemble.collab.view;

import org.automerge.ObjectId;

/**
 * An Automerge list. A change copies the array of element references (not the elements, which
 * are shared): linear in the list's length, which is fine for lists of thousands of elements;
 * long texts are {@link TextObject}s, which cost the edit only.
 */
final class ListObject implements Node {
    private final ObjectId id;
    private final Node[] items;

    ListObject(ObjectId id, Node[] items) {
        this.id = id;
        this.items = items;
    }

    static ListObject empty(ObjectId id) {
        return new ListObject(id, new Node[0]);
    }

    ObjectId id() {
        return id;
    }

    int size() {
        return items.length;
    }

    Node get(int index) {
        return items[index];
    }

    ListObject set(int index, Node value) {
        if (items[index] == value) {
            return this;
        }
        Node[] changed = items.clone();
        changed[index] = value;
        return new ListObject(id, changed);
    }

    ListObject insert(int index, Node[] values) {
        if (index < 0 || index > items.length) {
            throw new IndexOutOfBoundsException("cannot insert at " + index + " in a list of " + items.length);
        }
        Node[] longer = new Node[items.length + values.length];
        System.arraycopy(items, 0, longer, 0, index);
        System.arraycopy(values, 0, longer, index, values.length);
        System.arraycopy(items, index, longer, index + values.length, items.length - index);
        return new ListObject(id, longer);
    }

    ListObject delete(int index, int count) {
        if (index < 0 || count < 0 || index + count > items.length) {
            throw new IndexOutOfBoundsException(
                    "cannot delete " + count + " at " + index + " in a list of " + items.length);
        }
        Node[] shorter = new Node[items.length - count];
        System.arraycopy(items, 0, shorter, 0, index);
        System.arraycopy(items, index + count, shorter, index, items.length - index - count);
        return new ListObject(id, shorter);
    }
}
