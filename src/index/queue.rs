//! Backpressure for the indexing queue. tantivy's writer queues up to 10,000 batches (here an
//! episode each, with its stored JSON) for its indexing threads; a build whose main thread
//! prepares episodes faster than the threads index them filled that queue and held ~190 MB of
//! waiting documents at 100k episodes. Each episode's last document carries a ticket, dropped
//! when an indexing thread is done with it, and the writer waits while too many are out.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::{Duration, Instant};
use tantivy::TantivyDocument;
use tantivy::schema::document::Document;

/// Episodes queued for the indexing threads at most: enough to keep them busy.
pub(super) const MAX_IN_FLIGHT: usize = 512;
/// A full queue is refilled once it is down to this many: one wait per batch of episodes, not a
/// wait (and a wake-up from an indexing thread) per episode.
const REFILL_AT: usize = MAX_IN_FLIGHT / 2;

/// A document on its way to an indexing thread, maybe with a ticket.
pub(super) struct Queued {
    doc: TantivyDocument,
    _ticket: Option<Ticket>,
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(self) -> TantivyDocument {
        self.doc
    }
}

/// How many episodes are queued, and the thread that queues them.
pub(super) struct InFlight {
    count: AtomicUsize,
    producer: Thread,
}

impl InFlight {
    /// A counter for episodes queued by the current thread.
    pub(super) fn new() -> Arc<InFlight> {
        Arc::new(InFlight {
            count: AtomicUsize::new(0),
            producer: std::thread::current(),
        })
    }

    /// Episodes queued and not yet indexed.
    pub(super) fn queued(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    /// When [`MAX_IN_FLIGHT`] episodes are queued, waits until the indexing threads are down to
    /// half of them; then gives an episode's documents to queue, the last with a ticket. A queue
    /// that does not move for `patience` (an indexing thread stuck or gone) is waited on no
    /// longer: tantivy's own bound holds.
    pub(super) fn admit(
        self: &Arc<Self>,
        docs: Vec<TantivyDocument>,
        patience: Duration,
    ) -> Vec<Queued> {
        let mut seen = self.queued();
        if seen >= MAX_IN_FLIGHT {
            let mut since = Instant::now();
            while seen > REFILL_AT && since.elapsed() < patience {
                std::thread::park_timeout(Duration::from_millis(10));
                let now = self.queued();
                if now != seen {
                    seen = now;
                    since = Instant::now();
                }
            }
        }
        self.count.fetch_add(1, Ordering::AcqRel);
        let last = docs.len().saturating_sub(1);
        let mut ticket = Some(Ticket(Arc::clone(self)));
        docs.into_iter()
            .enumerate()
            .map(|(i, doc)| Queued {
                doc,
                _ticket: if i == last { ticket.take() } else { None },
            })
            .collect()
    }
}

/// One queued episode: dropping it (an indexing thread is done with the document that holds
/// it, or the queue is dropped) counts the episode out, and wakes a waiting producer when the
/// queue is down to where it refills.
pub(super) struct Ticket(Arc<InFlight>);

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::AcqRel) == REFILL_AT + 1 {
            self.0.producer.unpark();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_counts_an_episode_until_it_is_dropped() {
        let q = InFlight::new();
        let docs = q.admit(vec![TantivyDocument::default(); 3], Duration::ZERO);
        assert_eq!(q.queued(), 1);
        let tickets = docs.iter().filter(|d| d._ticket.is_some()).count();
        assert_eq!(tickets, 1);
        assert!(docs[2]._ticket.is_some(), "the last document holds it");
        drop(docs);
        assert_eq!(q.queued(), 0);
        // An episode without documents still counts itself out.
        drop(q.admit(vec![], Duration::ZERO));
        assert_eq!(q.queued(), 0);
    }

    #[test]
    fn a_full_queue_waits_for_an_indexing_thread() {
        let q = InFlight::new();
        let held: Vec<_> = (0..MAX_IN_FLIGHT)
            .map(|_| q.admit(vec![TantivyDocument::default()], Duration::ZERO))
            .collect();
        assert_eq!(q.queued(), MAX_IN_FLIGHT);
        // Another thread takes (drops) one queued episode after a while.
        let start = Instant::now();
        let consumer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(held);
        });
        let next = q.admit(vec![TantivyDocument::default()], Duration::from_secs(60));
        assert!(start.elapsed() >= Duration::from_millis(50));
        consumer.join().expect("consumer");
        assert_eq!(q.queued(), 1);
        drop(next);
        // A queue that never moves is waited on only as long as the patience allows.
        let stuck: Vec<_> = (0..MAX_IN_FLIGHT)
            .map(|_| q.admit(vec![TantivyDocument::default()], Duration::ZERO))
            .collect();
        let start = Instant::now();
        let extra = q.admit(vec![], Duration::from_millis(30));
        assert!(start.elapsed() >= Duration::from_millis(30));
        drop((stuck, extra));
        assert_eq!(q.queued(), 0);
    }
}
