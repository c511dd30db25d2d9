package io.liveshard.node.rtmp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Exactly one side lets an accepted publish go when its connection stops around the answer. */
class PublishHandoffTest {

    @Test
    void anAnswerAfterTheStageStoppedIsLetGoByItsThread() {
        PublishHandoff handoff = new PublishHandoff();
        assertFalse(handoff.stop(), "nothing accepted yet: nothing for the stage to let go");
        assertFalse(handoff.accepted(), "the stage is gone: the answering thread lets the publish go");
    }

    @Test
    void anAnswerOnItsWayWhenTheStageStopsIsLetGoByTheStage() {
        PublishHandoff handoff = new PublishHandoff();
        assertTrue(handoff.accepted());
        assertTrue(handoff.stop(), "the stage will never take the answer: it lets the publish go");
    }

    @Test
    void anAnswerTheStageTookIsItsOwnPublish() {
        PublishHandoff handoff = new PublishHandoff();
        assertTrue(handoff.accepted());
        handoff.taken();
        assertFalse(handoff.stop(), "the stage unpublishes its own publisher as it ends");
    }
}
