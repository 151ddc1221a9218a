//! The tantivy schema and analyzers: one document per chapter and one per episode.
//!
//! Every searchable text field holds the code-aware tokens with positions (for phrases) and, at
//! the position of each prose word that stemming changes, its marked stem (`\u{1}collect` next to
//! `collections`), so an exact match can outrank a stemmed one with a single analysis pass.

use super::analyzer;
use tantivy::Index;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};

/// Bumped whenever the schema or the analyzers change; an index of a version this build cannot
/// read must be rebuilt. 5: sections analysed by [`TEXT_ANALYZER_REPEATED`], chapter documents
/// without the episode's key, kind, podcast and number (found through their episode, see
/// [`super::groups`]), no `start` field. 6: pair fields for two-word phrases of frequent words.
/// 7: episodes stored as postcard bytes (`episode_bin`, [`super::stored`]) instead of JSON.
pub const SCHEMA_VERSION: u32 = 7;
/// The oldest version this build reads and updates: 4's section analyzer gives the same tokens,
/// its unused `start` field is left empty, and what its chapter documents repeat of their
/// episode is not needed; 4 and 5 have no pair fields, so their phrases read positions; 4 to 6
/// store episodes as JSON.
pub const OLDEST_READABLE_VERSION: u32 = 4;

/// The analyzer of searchable text: words and marked stems.
pub const TEXT_ANALYZER: &str = "podseek_code";
/// [`TEXT_ANALYZER`] with repeated values replayed (sections): the same tokens, so an index whose
/// section field names either analyzer reads the same.
pub const TEXT_ANALYZER_REPEATED: &str = "podseek_code_repeated";
/// [`TEXT_ANALYZER`] recording the pair words for the pair field after it (chapter titles).
pub const TEXT_ANALYZER_RECORDING: &str = "podseek_code_recording";
/// [`TEXT_ANALYZER_REPEATED`] recording the pair words for the pair field after it (sections).
pub const TEXT_ANALYZER_REPEATED_RECORDING: &str = "podseek_code_repeated_recording";
/// The analyzer of the chapter-title pair field ([`analyzer::pairs`]), registered with the
/// index's pair words.
pub const PAIRS_ANALYZER: &str = "podseek_pairs";
/// [`PAIRS_ANALYZER`] with repeated values replayed (sections).
pub const PAIRS_ANALYZER_REPEATED: &str = "podseek_pairs_repeated";
/// Lowercased whole values (podcast names), for exact but case-blind filters.
pub const KEYWORD_ANALYZER: &str = "podseek_keyword";

/// `kind` value of episode documents.
pub const KIND_EPISODE: &str = "episode";

/// Field handles, looked up once by name.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `episode` on episode documents (version 4 also put `chapter` on chapters).
    pub kind: Field,
    /// The episode's identity (`Episode::key`), on episode documents.
    pub key: Field,
    /// Canonical path of the file the episode came from.
    pub source_file: Field,
    /// Content hash of the episode (episode documents).
    pub hash: Field,
    /// Hash of the episode's `source` location (episode documents).
    pub loc_hash: Field,
    /// Hash of the whole file the episode came from (episode documents): an unchanged file is
    /// not parsed again.
    pub file_hash: Field,
    /// Podcast name, lowercased for filtering (episode documents).
    pub podcast: Field,
    /// Episode number (episode documents).
    pub number: Field,
    /// Chapter title (chapter documents).
    pub chapter_title: Field,
    /// The chapter's `PART n:` section (chapter documents).
    pub section: Field,
    /// The chapter title's pair terms ([`analyzer::pairs`]); none in indexes before version 6.
    pub chapter_title_pairs: Option<Field>,
    /// The section's pair terms.
    pub section_pairs: Option<Field>,
    /// Episode title (episode documents only: a title match is one hit for the episode, and
    /// indexing it again on every chapter made a third of a build's tokens).
    pub episode_title: Field,
    /// Episode description (episode documents).
    pub description: Field,
    /// The chapter's index in its episode's `chapters` (chapter documents): hits are rendered
    /// from the stored episode, so chapter documents store nothing.
    pub chapter: Field,
    /// The whole episode as JSON (episode documents) in indexes before version 7.
    pub episode_json: Option<Field>,
    /// The whole episode as postcard bytes held in text ([`super::stored`]; episode
    /// documents): renders hits, `show` and `at`. One of this and `episode_json` is there.
    pub episode_bin: Option<Field>,
}

fn exact_options(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema.
pub fn build() -> Schema {
    build_with(TEXT_ANALYZER_REPEATED_RECORDING, false, true, true)
}

/// Whether this build reads and writes an index of `schema`: this one, or version 6's, 5's or
/// 4's.
pub fn readable(schema: &Schema) -> bool {
    *schema == build()
        || *schema == build_with(TEXT_ANALYZER_REPEATED_RECORDING, false, true, false)
        || *schema == build_with(TEXT_ANALYZER_REPEATED, false, false, false)
        || *schema == build_with(TEXT_ANALYZER, true, false, false)
}

/// The schema of a version: its section analyzer, whether it has the `start` field (4), pair
/// fields (6 on) and the episode as bytes (7 on) rather than JSON.
pub(super) fn build_with(section_analyzer: &str, start: bool, pairs: bool, binary: bool) -> Schema {
    let mut b = Schema::builder();
    // Fields only filtered on are never scored: no field norms (a byte per document each).
    let keyword = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
    };
    b.add_text_field("kind", keyword());
    b.add_text_field("key", keyword() | FAST);
    b.add_text_field("source_file", keyword() | FAST);
    b.add_u64_field("hash", FAST);
    b.add_u64_field("loc_hash", FAST);
    b.add_u64_field("file_hash", FAST);
    b.add_text_field(
        "podcast",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_ANALYZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        ),
    );
    b.add_u64_field("number", NumericOptions::default().set_indexed().set_fast());
    // Scored with the phrase's own field's norms: no norms of their own, no positions. Each
    // comes right after its field: tantivy analyses fields in order, and the pair field takes
    // the words its field's analyzer recorded (`analyzer::RecordPairWords`).
    let pair_options = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(false),
        )
    };
    if pairs {
        b.add_text_field("chapter_title", exact_options(TEXT_ANALYZER_RECORDING));
        b.add_text_field("chapter_title_pairs", pair_options(PAIRS_ANALYZER));
    } else {
        b.add_text_field("chapter_title", exact_options(TEXT_ANALYZER));
    }
    // Every chapter of a section has it, so consecutive values repeat (a third of the bench
    // corpus's words are sections).
    b.add_text_field("section", exact_options(section_analyzer));
    if pairs {
        b.add_text_field("section_pairs", pair_options(PAIRS_ANALYZER_REPEATED));
    }
    b.add_text_field("episode_title", exact_options(TEXT_ANALYZER));
    b.add_text_field("description", exact_options(TEXT_ANALYZER));
    if start {
        b.add_u64_field("start", FAST);
    }
    b.add_u64_field("chapter", FAST);
    if binary {
        // Text, not bytes: see `stored::to_text`.
        b.add_text_field("episode_bin", STORED);
    } else {
        b.add_text_field("episode_json", STORED);
    }
    b.build()
}

impl Fields {
    /// Looks every field up by name; fails on an index of another schema.
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        let (episode_json, episode_bin) = (f("episode_json").ok(), f("episode_bin").ok());
        if episode_json.is_none() && episode_bin.is_none() {
            return Err(tantivy::TantivyError::FieldNotFound("episode_bin".into()));
        }
        Ok(Fields {
            kind: f("kind")?,
            key: f("key")?,
            source_file: f("source_file")?,
            hash: f("hash")?,
            loc_hash: f("loc_hash")?,
            file_hash: f("file_hash")?,
            podcast: f("podcast")?,
            number: f("number")?,
            chapter_title: f("chapter_title")?,
            section: f("section")?,
            chapter_title_pairs: schema.get_field("chapter_title_pairs").ok(),
            section_pairs: schema.get_field("section_pairs").ok(),
            episode_title: f("episode_title")?,
            description: f("description")?,
            chapter: f("chapter")?,
            episode_json,
            episode_bin,
        })
    }
}

/// Registers podseek's analyzers, the pair fields' with the index's pair words; tantivy does not
/// store them, so every open must do this.
pub fn register_analyzers(index: &Index, pair_words: &analyzer::PairWords) {
    index
        .tokenizers()
        .register(TEXT_ANALYZER, analyzer::exact_with_stems());
    index.tokenizers().register(
        TEXT_ANALYZER_REPEATED,
        analyzer::exact_with_stems_repeated(),
    );
    index.tokenizers().register(
        TEXT_ANALYZER_RECORDING,
        analyzer::exact_with_stems_recording(pair_words.clone()),
    );
    index.tokenizers().register(
        TEXT_ANALYZER_REPEATED_RECORDING,
        analyzer::exact_with_stems_repeated_recording(pair_words.clone()),
    );
    index
        .tokenizers()
        .register(PAIRS_ANALYZER, analyzer::pairs(pair_words.clone()));
    index.tokenizers().register(
        PAIRS_ANALYZER_REPEATED,
        analyzer::pairs_repeated(pair_words.clone()),
    );
    let keyword = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build();
    index.tokenizers().register(KEYWORD_ANALYZER, keyword);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_4_to_6_indexes_stay_readable() {
        assert!(readable(&build()));
        assert!(readable(&build_with(
            TEXT_ANALYZER_REPEATED_RECORDING,
            false,
            true,
            false
        )));
        assert!(readable(&build_with(
            TEXT_ANALYZER_REPEATED,
            false,
            false,
            false
        )));
        assert!(readable(&build_with(TEXT_ANALYZER, true, false, false)));
        assert!(!readable(&build_with(TEXT_ANALYZER, false, false, false)));
        assert!(!readable(&build_with(KEYWORD_ANALYZER, true, false, false)));
        assert!(!readable(&build_with(TEXT_ANALYZER, true, true, false)));
        assert!(!readable(&build_with(
            TEXT_ANALYZER_REPEATED,
            false,
            true,
            false
        )));
        assert!(!readable(&build_with(
            TEXT_ANALYZER_REPEATED,
            false,
            false,
            true
        )));
        assert!(!readable(&Schema::builder().build()));
    }
}
