//! The tantivy schema and analyzers: one document per chapter and one per episode.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// Bumped whenever the schema or the analyzers change; an index of another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 1;

/// The analyzer for all searchable text.
pub const TEXT_ANALYZER: &str = "podseek_text";
/// Lowercased whole values (podcast names), for exact but case-blind filters.
pub const KEYWORD_ANALYZER: &str = "podseek_keyword";

/// `kind` value of chapter documents.
pub const KIND_CHAPTER: &str = "chapter";
/// `kind` value of episode documents.
pub const KIND_EPISODE: &str = "episode";

/// Field handles, looked up once by name.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `chapter` or `episode`.
    pub kind: Field,
    /// The episode's identity (`Episode::key`), shared by its chapter documents.
    pub key: Field,
    /// Canonical path of the file the episode came from.
    pub source_file: Field,
    /// Content hash of the episode (episode documents).
    pub hash: Field,
    /// Hash of the episode's `source` location (episode documents).
    pub loc_hash: Field,
    /// Podcast name, lowercased for filtering.
    pub podcast: Field,
    /// Episode number.
    pub number: Field,
    /// Chapter title (chapter documents).
    pub chapter_title: Field,
    /// The chapter's `PART n:` section (chapter documents).
    pub section: Field,
    /// Episode title (both kinds, so chapter hits match the episode's title too).
    pub episode_title: Field,
    /// Episode description (episode documents).
    pub description: Field,
    /// Chapter start in seconds (0 for episode documents).
    pub start: Field,
    /// Chapter end in seconds, when known.
    pub end: Field,
    /// The whole episode as JSON (episode documents): renders hits, `show` and `at`.
    pub episode_json: Field,
}

fn text_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema.
pub fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("kind", STRING);
    b.add_text_field("key", STRING | STORED | FAST);
    b.add_text_field("source_file", STRING | FAST);
    b.add_u64_field("hash", FAST);
    b.add_u64_field("loc_hash", FAST);
    b.add_text_field(
        "podcast",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_ANALYZER)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    b.add_u64_field("number", INDEXED | FAST);
    b.add_text_field("chapter_title", text_options() | STORED);
    b.add_text_field("section", text_options() | STORED);
    b.add_text_field("episode_title", text_options());
    b.add_text_field("description", text_options());
    b.add_u64_field("start", STORED | FAST);
    b.add_u64_field("end", STORED);
    b.add_text_field("episode_json", STORED);
    b.build()
}

impl Fields {
    /// Looks every field up by name; fails on an index of another schema.
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            kind: f("kind")?,
            key: f("key")?,
            source_file: f("source_file")?,
            hash: f("hash")?,
            loc_hash: f("loc_hash")?,
            podcast: f("podcast")?,
            number: f("number")?,
            chapter_title: f("chapter_title")?,
            section: f("section")?,
            episode_title: f("episode_title")?,
            description: f("description")?,
            start: f("start")?,
            end: f("end")?,
            episode_json: f("episode_json")?,
        })
    }
}

/// Registers podseek's analyzers; tantivy does not store them, so every open must do this.
pub fn register_analyzers(index: &Index) {
    let text = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(TEXT_ANALYZER, text);
    let keyword = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build();
    index.tokenizers().register(KEYWORD_ANALYZER, keyword);
}
