package org.digitlab.data.image;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.digitlab.data.InvalidDataException;

/**
 * What an image folder holds, found by listing and stat'ing only (nothing is decoded): the class folders in natural
 * order, the image files of each (nested folders included) in natural order of their paths, and the files left out.
 * Hidden files and folders (name starting with ".") are ignored; symbolic links are followed.
 *
 * @param classNames the class folders' names, index = label
 * @param images     the image files, by class, then by path
 * @param labels     the class of each image
 * @param skipped    files that are not images by their extension, or lie outside any class folder
 */
record FolderListing(List<String> classNames, List<FileEntry> images, int[] labels, List<SkippedFile> skipped) {
    /**
     * A regular file below a folder.
     *
     * @param relative its path below the folder
     * @param size     its length in bytes
     * @param modified its last modification time
     */
    record FileEntry(Path relative, long size, FileTime modified) {
        /** The path below the folder with "/" between names, the same on every system. */
        String key() {
            StringBuilder out = new StringBuilder();
            for (Path name : relative) {
                out.append(out.length() == 0 ? "" : "/").append(name);
            }
            return out.toString();
        }
    }

    /**
     * Lists image folder {@code dir}: one subfolder per class.
     *
     * @throws InvalidDataException when it is not a folder, holds no class folder, or a class folder holds no image
     */
    static FolderListing of(Path dir) {
        List<String> classNames = classFolders(dir);
        Map<String, Integer> classIndex = new HashMap<>();
        for (String name : classNames) {
            classIndex.put(name, classIndex.size());
        }
        List<FileEntry> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        int[] imageCounts = new int[classNames.size()];
        int[] otherCounts = new int[classNames.size()];
        for (FileEntry entry : walk(dir)) {
            String shown = dir.resolve(entry.relative()).toString();
            if (entry.relative().getNameCount() == 1) {
                skipped.add(new SkippedFile(shown, SkippedFile.Reason.OUTSIDE_CLASS_FOLDER, ""));
                continue;
            }
            int label = classIndex.get(entry.relative().getName(0).toString());
            if (ImageFiles.isImageFile(entry.relative())) {
                images.add(entry);
                labels.add(label);
                imageCounts[label]++;
            } else {
                skipped.add(new SkippedFile(shown, SkippedFile.Reason.NOT_AN_IMAGE, ""));
                otherCounts[label]++;
            }
        }
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            if (imageCounts[c] == 0) {
                empty.add(classNames.get(c));
            }
        }
        String expected = "; expected " + String.join(", ", ImageFiles.IMAGE_EXTENSIONS) + " files";
        if (empty.size() == 1) {
            throw InvalidDataException.of(dir.resolve(empty.get(0)), "class folder holds no images" + expected
                    + ", found " + otherCounts[classIndex.get(empty.get(0))] + " other files");
        }
        if (!empty.isEmpty()) {
            throw InvalidDataException.of(dir, "class folders " + String.join(", ", empty) + " hold no images"
                    + expected + " in every class folder");
        }
        return new FolderListing(List.copyOf(classNames), List.copyOf(images),
                labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(skipped));
    }

    /** Number of image files listed. */
    int size() {
        return images.size();
    }

    private static List<String> classFolders(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw InvalidDataException.of(dir, Files.exists(dir)
                    ? "not a folder; expected a folder with one subfolder of images per class" : "folder not found");
        }
        List<String> names;
        try (Stream<Path> children = Files.list(dir)) {
            names = children.filter(Files::isDirectory)
                    .map(child -> child.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted(NaturalOrder.NAMES)
                    .toList();
        } catch (IOException e) {
            throw InvalidDataException.of(dir, "cannot list folder: " + e, e);
        }
        if (names.isEmpty()) {
            throw InvalidDataException.of(dir, "no class folders; expected one subfolder per class holding its "
                    + "images (e.g. " + dir.resolve("cat") + ", " + dir.resolve("dog") + ")");
        }
        return names;
    }

    /**
     * The regular files below {@code folder}, in natural order of their relative paths; hidden files and the
     * contents of hidden folders are left out.
     *
     * @throws InvalidDataException when the folder is missing or a part of it cannot be listed
     */
    static List<FileEntry> walk(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw InvalidDataException.of(folder, Files.exists(folder) ? "not a folder" : "folder not found");
        }
        List<FileEntry> files = new ArrayList<>();
        try {
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            return !dir.equals(folder) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && !isHidden(file)) {
                                files.add(new FileEntry(folder.relativize(file), attrs.size(),
                                        attrs.lastModifiedTime()));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (isHidden(file)) {
                                return FileVisitResult.CONTINUE;
                            }
                            throw InvalidDataException.of(file, e instanceof FileSystemLoopException
                                    ? "symbolic link loop; expected a folder tree" : "cannot read: " + e, e);
                        }
                    });
        } catch (IOException e) {
            throw InvalidDataException.of(folder, "cannot list folder: " + e, e);
        }
        files.sort((a, b) -> NaturalOrder.PATHS.compare(a.relative(), b.relative()));
        return files;
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
