package dev.ensemble.piano.ui;

import dev.ensemble.piano.session.PeerView;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.DefaultListCellRenderer;
import javax.swing.DefaultListModel;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.border.CompoundBorder;
import javax.swing.border.MatteBorder;

/** The players list: name, colour, instrument, transport and latency. Swing: EDT only. */
final class PlayersList extends JList<PeerView> {
    private final DefaultListModel<PeerView> model = new DefaultListModel<>();

    PlayersList() {
        setModel(model);
        setPreferredSize(new Dimension(300, 220));
        setCellRenderer(new DefaultListCellRenderer() {
            @Override
            public Component getListCellRendererComponent(
                    JList<?> list, Object value, int index, boolean selected, boolean focused) {
                JLabel label = (JLabel) super.getListCellRendererComponent(list, value, index, false, false);
                PeerView view = (PeerView) value;
                String latency = view.self() ? "you" : view.latency().toMillis() + " ms";
                label.setText("<html><b>" + escape(view.player().name()) + "</b> &middot; "
                        + view.player().instrument().displayName() + "<br>"
                        + view.player().transport()
                        + " &middot; " + latency + " &middot; delay "
                        + view.delay().toMillis() + " ms</html>");
                label.setBorder(new CompoundBorder(
                        new MatteBorder(0, 12, 1, 0, new Color(view.player().colorRgb())),
                        BorderFactory.createEmptyBorder(4, 6, 4, 4)));
                return label;
            }
        });
    }

    void show(List<PeerView> players) {
        model.clear();
        players.forEach(model::addElement);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
