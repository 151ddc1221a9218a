//! The index folder as tantivy sees it, made readable when it cannot be written: on read-only
//! media, or an index owned by another user, a search still works.

use std::io;
use std::path::Path;
use std::result::Result;
use std::sync::Arc;
use tantivy::directory::error::OpenWriteError;
use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

/// tantivy's memory-mapped folder, except for one lock. Readers take the meta lock so that a
/// writer's clean-up does not delete segment files while they open them; where the lock file
/// cannot be created, no writer of ours can delete files either, so the reader goes without.
#[derive(Debug, Clone)]
pub(crate) struct IndexDir(MmapDirectory);

impl IndexDir {
    /// Opens the folder at `path`.
    pub(crate) fn open(path: &Path) -> Result<IndexDir, OpenDirectoryError> {
        MmapDirectory::open(path).map(IndexDir)
    }
}

/// Whether acquiring `lock` failed only because the folder is not writable to us.
fn unwritable(lock: &Lock, e: &LockError) -> bool {
    lock.filepath == META_LOCK.filepath
        && matches!(e, LockError::IoError(io) if matches!(
            io.kind(),
            io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
        ))
}

impl Directory for IndexDir {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        self.0.open_read(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(e) if unwritable(lock, &e) => Ok(DirectoryLock::from(Box::new(()))),
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::directory::INDEX_WRITER_LOCK;

    fn io(kind: io::ErrorKind) -> LockError {
        LockError::IoError(Arc::new(io::Error::from(kind)))
    }

    #[test]
    fn only_the_readers_lock_in_an_unwritable_folder_is_waived() {
        assert!(unwritable(
            &META_LOCK,
            &io(io::ErrorKind::ReadOnlyFilesystem)
        ));
        assert!(unwritable(&META_LOCK, &io(io::ErrorKind::PermissionDenied)));
        assert!(!unwritable(&META_LOCK, &io(io::ErrorKind::NotFound)));
        assert!(!unwritable(&META_LOCK, &LockError::LockBusy));
        // A writer never goes without its lock.
        assert!(!unwritable(
            &INDEX_WRITER_LOCK,
            &io(io::ErrorKind::ReadOnlyFilesystem)
        ));
    }
}
